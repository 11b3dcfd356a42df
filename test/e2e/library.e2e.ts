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

test('arrow keys move between cards; Enter opens; Escape closes the pane', async ({ page }) => {
  await openLibrary(page, 40);
  // The page may still move focus once as it settles after opening (failed once in CI): focus the
  // first card and press again until the move is seen; broken arrow keys fail every attempt.
  await expect(async () => {
    await page.getByTestId('model-card').first().focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('[data-index="1"]')).toBeFocused({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  // The same for the move down (it failed once in CI with focus gone after ArrowRight had been seen).
  let index = -1;
  await expect(async () => {
    if ((await page.locator('[data-index]:focus').count()) === 0) await page.locator('[data-index="1"]').focus();
    await page.keyboard.press('ArrowDown');
    index = Number(await page.locator('[data-index]:focus').getAttribute('data-index', { timeout: 1_000 }));
    expect(index).toBeGreaterThan(1);
  }).toPass({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('model-details')).toBeVisible();
  await expect(page.locator('.model-card.is-selected')).toHaveAttribute('data-index', String(index));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('model-details')).toBeHidden();
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
