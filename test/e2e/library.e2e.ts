// The library's own behaviour, against a scripted window.api (support/mock-app.ts): a 10,000-model
// library stays a small DOM and a few page requests, keyboard navigation, search, rename, delete.
import { expect, test, type Page } from '@playwright/test';
import { defaultScenario, openMockApp } from './support/mock-app';

interface MockCalls {
  __mock: { calls: { channel: string; input: { offset?: number; limit?: number; query?: string } }[] };
}

const listCalls = (page: Page) =>
  page.evaluate(() => (window as unknown as MockCalls).__mock.calls.filter((c) => c.channel === 'library:list' && (c.input?.limit ?? 0) > 1).map((c) => c.input));

async function openLibrary(page: Page, count: number) {
  await openMockApp(page, defaultScenario({ library: { generate: count } }));
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText(`${count.toLocaleString('en-US')} models`);
}

test('10,000 models: only what is on screen is rendered and fetched', async ({ page }) => {
  await openLibrary(page, 10_000);
  const cards = page.getByTestId('model-card');
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeLessThan(120);
  expect((await listCalls(page)).length).toBeLessThanOrEqual(2);

  // End jumps to the last model: it is loaded, shown and focused, without fetching the pages between.
  await cards.first().focus();
  await page.keyboard.press('End');
  const last = page.locator('[data-index="9999"]');
  await expect(last).toBeFocused();
  await expect(last).toContainText('Owl figurine 1000');
  expect(await cards.count()).toBeLessThan(120);
  const offsets = (await listCalls(page)).map((c) => c.offset ?? 0);
  expect(offsets.length).toBeLessThan(8);
  expect(offsets).toContain(9900);

  // Scrolling to the middle loads that page and replaces the placeholders.
  await page.getByTestId('library-grid').evaluate((grid) => grid.scrollTo(0, grid.scrollHeight / 2));
  await expect(page.locator('.model-card.is-skeleton')).toHaveCount(0);
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeLessThan(120);
  await page.screenshot({ path: test.info().outputPath('library-10k-middle.png') });
});

test('arrow keys move between cards; Enter opens; Escape closes the pane; focus stays where the user put it', async ({ page }) => {
  await openLibrary(page, 40);
  await page.getByTestId('model-card').first().focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('[data-index="1"]')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  const index = Number(await page.locator('[data-index]:focus').getAttribute('data-index'));
  expect(index).toBeGreaterThan(1);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('model-details')).toBeVisible();
  const card = page.locator(`[data-index="${index}"]`);
  await expect(card).toHaveClass(/is-selected/);
  // The pane takes room from the grid (fewer columns): the card moves but keeps the keyboard focus.
  await expect(card).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('model-details')).toBeHidden();
  await expect(card).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator(`[data-index="${index - 1}"]`)).toBeFocused();
});

test('a key pressed the moment the cards show moves focus, and the settling page keeps it there', async ({ page }) => {
  await openMockApp(page, defaultScenario({ library: { generate: 40 } }));
  // A fast keyboard user: the first card is focused and ArrowRight pressed as soon as the cards are
  // in the page, before the grid has settled (measured its width, laid out its columns).
  await page.evaluate(() => {
    const observer = new MutationObserver(() => {
      const first = document.querySelector<HTMLElement>('[data-index="0"]');
      if (!first) return;
      observer.disconnect();
      first.focus();
      first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
      (window as unknown as { __pressed: boolean }).__pressed = true;
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText('40 models');
  expect(await page.evaluate(() => (window as unknown as { __pressed?: boolean }).__pressed)).toBe(true);
  // Settled: the second card sits beside the first (the grid knows its columns).
  await expect(async () => {
    const [a, b] = await Promise.all([0, 1].map((i) => page.locator(`[data-index="${i}"]`).boundingBox()));
    expect(b?.y).toBe(a?.y);
  }).toPass();
  await expect(page.locator('[data-index="1"]')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('[data-index="2"]')).toBeFocused();
});

test('search narrows the grid and says when nothing matches', async ({ page }) => {
  await openLibrary(page, 40);
  await page.getByRole('searchbox', { name: 'Search models' }).fill('teapot');
  await expect(page.getByTestId('library-count')).toHaveText('4 matches for “teapot”');
  await expect(page.getByTestId('model-card')).toHaveCount(4);
  await page.getByRole('searchbox', { name: 'Search models' }).fill('no such thing');
  await expect(page.getByText('No models match')).toBeVisible();
});

test('rename and delete (with confirmation) from the details pane', async ({ page }) => {
  await openLibrary(page, 12);
  await page.getByTestId('model-card').first().click();
  const details = page.getByTestId('model-details');
  await details.getByRole('button', { name: 'Rename' }).click();
  const input = page.getByRole('dialog').getByLabel('Name');
  await expect(input).toBeFocused();
  await input.fill('My favourite vase');
  await page.keyboard.press('Enter');
  await expect(details.getByRole('heading', { name: 'My favourite vase' })).toBeVisible();
  await expect(page.getByTestId('model-card').first()).toContainText('My favourite vase');

  await details.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog');
  await expect(confirm).toContainText('Delete “My favourite vase”?');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused(); // the safe choice first
  await confirm.getByRole('button', { name: 'Delete model' }).click();
  await expect(page.getByTestId('library-count')).toHaveText('11 models');
  await expect(details).toBeHidden();
  await expect(page.getByTestId('model-card').first()).not.toContainText('My favourite vase');
});

test('the Delete key on a card asks first; Cancel keeps the model', async ({ page }) => {
  await openLibrary(page, 5);
  await page.getByTestId('model-card').first().focus();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('dialog')).toContainText('Delete “Ceramic vase 1”?');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByTestId('library-count')).toHaveText('5 models');
});

test('export asks the app for the chosen format and reports where it went', async ({ page }) => {
  await openLibrary(page, 3);
  await page.getByTestId('model-card').first().click();
  await page.getByRole('button', { name: 'Export STL' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Exported to /home/ada/Models/m00000.stl' })).toBeVisible();
});

test('Ctrl/Cmd+E while a search finds nothing exports nothing (not the model opened before the search)', async ({ page }) => {
  await openLibrary(page, 12);
  await page.getByTestId('model-card').first().click();
  await expect(page.getByTestId('model-details')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search models' }).fill('no such thing');
  await expect(page.getByText('No models match')).toBeVisible();
  await expect(page.getByTestId('model-details')).toBeHidden();
  // The menu's Export Model… (Ctrl/Cmd+E) reaches the page as an 'app:command' event.
  const exports = () =>
    page.evaluate(() => (window as unknown as MockCalls).__mock.calls.filter((c) => c.channel === 'export:model').length);
  const emitExport = () =>
    page.evaluate(() => (window as unknown as { __mock: { emit(event: string, payload: unknown): void } }).__mock.emit('app:command', { command: 'export-model' }));
  await emitExport();
  // Clearing the search brings the model back; the same shortcut now exports it (so the event did arrive before).
  await page.getByRole('searchbox', { name: 'Search models' }).fill('');
  await expect(page.getByTestId('model-details')).toBeVisible();
  expect(await exports()).toBe(0);
  await emitExport();
  await expect(page.getByRole('status').filter({ hasText: 'Exported to /home/ada/Models/m00000.glb' })).toBeVisible();
  expect(await exports()).toBe(1);
});

test('Escape while a search finds nothing clears the search and keeps the model it hid', async ({ page }) => {
  await openLibrary(page, 12);
  const search = page.getByRole('searchbox', { name: 'Search models' });
  const details = page.getByTestId('model-details');
  await page.getByTestId('model-card').nth(1).click();
  const name = (await details.getByRole('heading').first().textContent()) ?? '';
  expect(name).not.toBe('');

  // Focus outside the search box: only the page's own Escape acts.
  await search.fill('no such thing');
  await expect(page.getByText('No models match')).toBeVisible();
  await expect(details).toBeHidden();
  await page.getByTestId('library-count').click();
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('library-count')).toHaveText('12 models');
  await expect(details.getByRole('heading', { name })).toBeVisible();

  // In the search box too (the box clears itself): the model comes back with it.
  await search.fill('no such thing');
  await expect(details).toBeHidden();
  await search.focus();
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(details.getByRole('heading', { name })).toBeVisible();

  // With the model shown, Escape closes the pane as before.
  await page.getByTestId('library-count').click();
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
});

test('Escape in the search box clears the search first and keeps the pane; the next Escape closes the pane', async ({ page }) => {
  await openLibrary(page, 40);
  const search = page.getByRole('searchbox', { name: 'Search models' });
  const details = page.getByTestId('model-details');
  await search.fill('teapot');
  await expect(page.getByTestId('library-count')).toHaveText('4 matches for “teapot”');
  await page.getByTestId('model-card').first().click();
  const name = (await details.getByRole('heading').first().textContent()) ?? '';
  expect(name).toMatch(/teapot/i);

  // One Escape, one thing: the text goes, the model stays open (it closed the pane as well).
  await search.focus();
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('library-count')).toHaveText('40 models');
  await expect(details.getByRole('heading', { name })).toBeVisible();
  await expect(search).toBeFocused();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.waitForTimeout(600); // let the theme's colour transitions finish
    await page.screenshot({ path: test.info().outputPath(`search-escape-cleared-${scheme}.png`) });
  }

  // The box is empty now: Escape closes the pane.
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
});

test("the side pane's viewer has its tools on one row", async ({ page }) => {
  await openLibrary(page, 3);
  await page.getByTestId('model-card').first().click();
  const buttons = page.getByTestId('model-details').locator('.mv-toolbar button');
  await expect(buttons.first()).toBeVisible();
  const tops = await buttons.evaluateAll((list) => list.map((b) => Math.round(b.getBoundingClientRect().top)));
  expect(tops.length).toBeGreaterThanOrEqual(10);
  // At the default 1280 px window the pane's viewer is ~390 px wide: the eleven tools wrapped into a
  // second, mostly empty row under the first.
  expect(new Set(tops).size).toBe(1);
  // Still ordinary buttons to hit with a pointer.
  const box = await buttons.first().boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(28);
});
