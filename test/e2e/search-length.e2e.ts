// The library's search boxes take at most as much as the core searches (shared/search.ts): a longer
// paste is cut to it and typing past it adds nothing, so the search runs. Before, the box took
// anything and the core refused a search over 200 characters: the library showed a validation error
// instead of results, and "Compare with…" the same. (Real core, browser transport, built renderer.)
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openDatabase } from '../../src/core/db/open';
import { LibraryStore } from '../../src/core/library/store';
import { SEARCH_MAX_LENGTH } from '../../src/shared/search';
import { makeTestGlb } from '../fixtures/make-glb';
import { launchWebApp, type RunningWebApp } from './support/web-app';

// A model named with as many characters as a search may have (no space at its end: a search is
// trimmed); the paste goes on past it.
const LONG_NAME = `${`Glazed ceramic fox ${'with blue glaze '.repeat(20)}`.slice(0, SEARCH_MAX_LENGTH - 1)}s`;
const PASTE = `${LONG_NAME} and some more words the clipboard held`;

async function seed(dataDir: string, names: string[]) {
  const db = openDatabase(dataDir);
  const store = new LibraryStore(db, dataDir);
  mkdirSync(join(dataDir, 'library'), { recursive: true });
  for (const [i, name] of names.entries()) {
    const bytes = await makeTestGlb({ triangles: 500, textureSize: 64, seed: i + 1 });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const filePath = join(dataDir, 'library', `${sha256}.glb`);
    writeFileSync(filePath, bytes);
    store.insert({
      id: `model-${i}`,
      name,
      createdAt: Date.now() - i * 60_000,
      endpoint: 'offline/relief',
      preset: 'standard',
      jobId: null,
      sha256,
      filePath,
      stats: { triangles: 500, vertices: 0, materials: 1, textures: [], fileSize: bytes.byteLength },
      previewPath: null,
      costUsd: null,
      sourceName: null,
      paramsKey: null,
    });
  }
  db.close();
}

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
  await seed(app.dataDir, [LONG_NAME, 'Teapot']);
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
