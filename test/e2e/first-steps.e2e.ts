// A first-time user's first minutes, in Chromium against the real app core (browser transport, fresh
// data folder, no key): a sample photo becomes a model that opens in the viewer, the viewer in the
// library's side pane keeps its statistics off the model, and adding a key is guided (where to get
// one, paste, test, what happens to waiting jobs). Each step is photographed in light and dark.
import { expect, test, type Page } from '@playwright/test';
import { launchWebApp, type RunningWebApp } from './support/web-app';

/** Screenshots of the current screen in both colour schemes (the app follows the system's). */
async function shots(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.waitForTimeout(150); // let the theme's transitions settle (screenshots only)
    const path = test.info().outputPath(`${name}-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`${name}-${scheme}`, { path, contentType: 'image/png' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

let app: RunningWebApp;
test.beforeEach(async () => {
  app = await launchWebApp();
});
test.afterEach(async () => app?.stop());

test('a sample photo becomes a model that opens in the viewer', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.appUrl);
  // The offline generator, explicitly (it is also what a first-time user without a key gets).
  await page.getByTestId('model-select').selectOption('offline/relief');
  const tray = page.getByTestId('sample-tray');
  await expect(tray).toContainText('Try a sample');
  const samples = tray.getByTestId('sample-button');
  await expect(samples).toHaveCount(4);
  // The thumbnails are the shipped photos, served by id.
  await expect.poll(() => samples.first().locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await shots(page, 'sample-1-empty-create');

  await tray.getByRole('button', { name: 'Toy duck' }).click();
  const row = page.getByTestId('job-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('sample-duck.jpg');
  await expect(page.getByTestId('sample-tray')).toHaveCount(0); // the queue is no longer empty
  await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await shots(page, 'sample-2-done');

  await page.getByRole('button', { name: 'Library' }).click();
  const card = page.getByTestId('model-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('sample-duck');
  await card.click();
  await expect(page.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 60_000 });
  await shots(page, 'sample-3-viewer');
});
