// "Export matches…" after a very long library search (real core, browser transport, built renderer):
// the studio's line and the library's count line name the search cut short with "…" and keep the
// whole line in their tooltip - they ran on over several lines, and a search without spaces ran out
// of the dialog and past the window's edge. Light and dark shots.
import { expect, test, type Page } from '@playwright/test';
import { seedLibrary } from './support/seed-library';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const SPACED = 'Glazed ceramic garden figurine of a sleeping fox curled on a mossy stone, third firing, blue and white, from the summer market';
const UNBROKEN = `scan_${'0123456789abcdef'.repeat(9)}`;

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
  await seedLibrary(app.dataDir, [SPACED, UNBROKEN, 'Teapot']);
});
test.afterAll(async () => app?.stop());

async function openLibrary(page: Page) {
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText('3 models');
}

/** Searches the library for `query` and opens "Export matches…" for its one match. */
async function exportMatches(page: Page, query: string, shot?: string) {
  await page.getByRole('searchbox', { name: 'Search models' }).fill(query);
  // The library's count line names the search the same way: cut short when long, whole in its tooltip.
  const count = page.getByTestId('library-count');
  await expect(count).toHaveAttribute('title', `1 match for “${query}”`, { timeout: 10_000 });
  await expect(count).toHaveText(query.length > 40 ? /^1 match for “.{38,39}…”$/ : `1 match for “${query}”`);
  expect(await count.evaluate((p) => p.getBoundingClientRect().right <= window.innerWidth && p.scrollWidth <= p.clientWidth + 1)).toBe(true);
  if (shot) await page.screenshot({ path: test.info().outputPath(`${shot}.png`) });
  await page.getByRole('button', { name: 'Export matches…' }).click();
  return page.getByRole('dialog');
}

/** The line fits its box: nothing runs out of it sideways. */
const overflowsSideways = (page: Page) => page.getByTestId('export-batch').locator('p').first().evaluate((p) => p.scrollWidth > p.clientWidth + 1);

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a very long search is cut short in the batch line, whole in its tooltip`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openLibrary(page);
    const dialog = await exportMatches(page, SPACED);
    const scope = dialog.getByTestId('batch-scope');
    await expect(scope).toHaveText('Every model matching “Glazed ceramic garden figurine of a sle…” (1)');
    await expect(scope).toHaveAttribute('title', `Every model matching “${SPACED}” (1)`);
    await expect(dialog.getByTestId('export-batch')).toContainText('(1) will be exported with');
    expect(await overflowsSideways(page)).toBe(false);
    await page.waitForTimeout(300); // colour transitions (screenshot only)
    await page.screenshot({ path: test.info().outputPath(`batch-long-search-${scheme}.png`) });
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Without spaces, it ran out of the dialog.
    const again = await exportMatches(page, UNBROKEN, `library-unbroken-search-${scheme}`);
    await expect(again.getByTestId('batch-scope')).toHaveText(`Every model matching “${UNBROKEN.slice(0, 39)}…” (1)`);
    await expect(again.getByTestId('batch-scope')).toHaveAttribute('title', `Every model matching “${UNBROKEN}” (1)`);
    expect(await overflowsSideways(page)).toBe(false);
    await page.screenshot({ path: test.info().outputPath(`batch-unbroken-search-${scheme}.png`) });
  });
}

test('a short search needs no tooltip', async ({ page }) => {
  await openLibrary(page);
  await page.getByRole('searchbox', { name: 'Search models' }).fill('Teapot');
  await expect(page.getByTestId('library-count')).toHaveText('1 match for “Teapot”');
  await expect(page.getByTestId('library-count')).not.toHaveAttribute('title');
  await page.getByRole('button', { name: 'Export matches…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('batch-scope')).toHaveText('Every model matching “Teapot” (1)');
  await expect(dialog.getByTestId('batch-scope')).not.toHaveAttribute('title');
});
