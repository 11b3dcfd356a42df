// The library's search boxes take at most as much as the core searches (shared/search.ts): a longer
// paste is cut to it and typing past it adds nothing, so the search runs. Before, the box took
// anything and the core refused a search over 200 characters: the library showed a validation error
// instead of results, and "Compare with…" the same. (Real core, browser transport, built renderer.)
import { expect, test } from '@playwright/test';
import { SEARCH_MAX_LENGTH } from '../../src/shared/search';
import { seedLibrary } from './support/seed-library';
import { launchWebApp, type RunningWebApp } from './support/web-app';

// A model named with as many characters as a search may have (no space at its end: a search is
// trimmed); the paste goes on past it.
const LONG_NAME = `${`Glazed ceramic fox ${'with blue glaze '.repeat(20)}`.slice(0, SEARCH_MAX_LENGTH - 1)}s`;
const PASTE = `${LONG_NAME} and some more words the clipboard held`;

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
  await seedLibrary(app.dataDir, [LONG_NAME, 'Teapot']);
});
test.afterAll(async () => app?.stop());

test('library search: a paste longer than a search may be is cut to it and finds the model; typing on adds nothing; no error', async ({ page }) => {
  expect(LONG_NAME).toHaveLength(SEARCH_MAX_LENGTH);
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText('2 models');
  const search = page.getByRole('searchbox', { name: 'Search models' });
  await search.focus();
  await page.keyboard.insertText(PASTE); // as a paste
  await expect(search).toHaveValue(LONG_NAME);
  await page.keyboard.type('xyz');
  await expect(search).toHaveValue(LONG_NAME);
  await expect(page.getByTestId('library-count')).toHaveAttribute('title', `1 match for “${LONG_NAME}”`, { timeout: 10_000 });
  await expect(page.getByTestId('model-card')).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('library-long-paste.png') });
});

test('"Compare with…": the same cut, and the pasted search finds the model', async ({ page }) => {
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('model-card').filter({ hasText: 'Teapot' }).click();
  await page.getByRole('button', { name: 'Compare with…' }).click();
  const picker = page.getByRole('dialog');
  const search = picker.getByRole('searchbox', { name: 'Search models' });
  await expect(search).toBeFocused();
  await page.keyboard.insertText(PASTE);
  await expect(search).toHaveValue(LONG_NAME);
  // Its one match (not the Teapot it compares), once the search ran; no refusal.
  await expect(picker.getByRole('button').filter({ hasText: 'Glazed ceramic fox' })).toHaveCount(1, { timeout: 10_000 });
  await page.waitForTimeout(500); // the debounced search settles (an error would show now)
  await expect(picker.getByRole('alert')).toHaveCount(0);
});
