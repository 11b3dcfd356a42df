// The first minutes of a new user, on the real app (core + browser transport) with a fresh data
// folder and no FAL key: a photo becomes a model with no other click, and jobs that wait for a key are
// never a dead end (the banner runs them offline; a row switches its own generator). Each step is
// photographed in light and dark.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const TRELLIS = 'fal-ai/trellis';
const RELIEF = 'offline/relief';

/** The same screen in light and dark (the app follows the system scheme by default). */
async function shots(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    // The colours fade to the new scheme: picture the end of it, not the middle.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 10_000 }).catch(() => {});
    const path = test.info().outputPath(`${name}-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`${name}-${scheme}`, { path, contentType: 'image/png' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function photo(name: string, seed: number) {
  return { name, mimeType: 'image/png', buffer: await makeTestPng(640, 640, { alpha: true, seed }) };
}

const row = (page: Page, name: string): Locator => page.locator('[data-testid="job-row"]', { hasText: name });

let app: RunningWebApp;
test.beforeEach(async () => {
  app = await launchWebApp();
});
test.afterEach(async () => app?.stop());

test('no key: a photo added through the file input becomes a model with no other click, and opens in the viewer', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(app.appUrl);
  // Nothing chosen and no key: the offline generator, said to be an approximation. (The first paint
  // can take a while on a loaded machine.)
  await expect(page.getByTestId('model-select')).toHaveValue(RELIEF, { timeout: 30_000 });
  await expect(page.getByTestId('approximation-label')).toBeVisible();
  await expect(page.getByTestId('offline-default-note')).toContainText('No FAL key yet');
  await expect(page.getByTestId('price-estimate')).toContainText('Free');
  await shots(page, 'first-1-start');

  await page.getByTestId('file-input').setInputFiles(await photo('my-first-mug.png', 21));
  await expect(row(page, 'my-first-mug.png')).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
  await expect(page.getByTestId('queue-banner')).toHaveCount(0);
  await page.getByTestId('queue').scrollIntoViewIfNeeded();
  await shots(page, 'first-2-made');

  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText('1 model');
  await page.getByTestId('model-card').filter({ hasText: 'my-first-mug' }).click();
  await expect(page.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 60_000 });
  await shots(page, 'first-3-viewer');
});

test('jobs waiting for a key: one switches from its row (new estimate shown), the banner runs the rest offline', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 1200 }); // banner and queue in one picture
  await page.goto(app.appUrl);
  // Tripo chosen on purpose with no key: its jobs wait for one.
  await expect(page.getByTestId('model-select')).toHaveValue(RELIEF, { timeout: 30_000 });
  await page.getByTestId('model-select').selectOption(TRIPO);
  // Added images use the generator the app has saved: wait for its answer (a loaded machine is slow to give it).
  await expect(page.getByTestId('model-select')).toHaveValue(TRIPO);
  await expect(page.getByTestId('price-estimate')).toContainText('$0.30');
  await page.getByTestId('file-input').setInputFiles([await photo('lamp.png', 31), await photo('vase.png', 32), await photo('gnome.png', 33)]);
  for (const name of ['lamp.png', 'vase.png', 'gnome.png']) await expect(row(page, name)).toHaveAttribute('data-state', 'queued');
  const banner = page.getByTestId('queue-banner');
  await expect(banner).toContainText('Add a FAL key to start these jobs');
  await expect(page.getByTestId('banner-waiting')).toHaveText('Waiting: lamp.png, vase.png and gnome.png.');
  await expect(banner.getByRole('button', { name: 'Run these 3 jobs offline now' })).toBeVisible();
  await shots(page, 'waiting-1-banner');

  // One row to another FAL model: it shows the new estimate and keeps waiting for the key.
  const lamp = row(page, 'lamp.png').getByTestId('job-model-select');
  await expect(lamp.locator('option:checked')).toHaveText('Tripo v2.5 · ≈ $0.30');
  await lamp.selectOption(TRELLIS);
  await expect(lamp.locator('option:checked')).toHaveText('TRELLIS · ≈ $0.02');
  await expect(row(page, 'lamp.png')).toHaveAttribute('data-state', 'queued');
  // Another row straight to the offline generator: it runs at once.
  await row(page, 'vase.png').getByTestId('job-model-select').selectOption(RELIEF);
  await expect(row(page, 'vase.png')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('banner-waiting')).toHaveText('Waiting: lamp.png and gnome.png.');
  await shots(page, 'waiting-2-row-switched');

  await banner.getByRole('button', { name: 'Run these 2 jobs offline now' }).click();
  // The confirmation toast goes away by itself: read it before waiting for the models.
  await expect(page.getByRole('status').filter({ hasText: '2 jobs now run offline' })).toBeVisible();
  for (const name of ['lamp.png', 'gnome.png']) await expect(row(page, name)).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
  await expect(banner).toHaveCount(0);
  await shots(page, 'waiting-3-ran-offline');

  await page.getByRole('button', { name: 'Library' }).click();
  await expect(page.getByTestId('library-count')).toHaveText('3 models');
  // Tripo stays the choice for new photos: the user picked it.
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('model-select')).toHaveValue(TRIPO);
});
