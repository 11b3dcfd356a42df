// A first-time user's first minutes, in Chromium against the real app core (browser transport, fresh
// data folder, no key): a sample photo becomes a model that opens in the viewer, the viewer in the
// library's side pane keeps its statistics off the model, and adding a key is guided (where to get
// one, paste, test, what happens to waiting jobs). Each step is photographed in light and dark.
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
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

const GOOD_KEY = 'e2e-good-key-123456';
let app: RunningWebApp;
let fake: FakeFal | null = null;
test.beforeEach(async () => {
  // FAL is our fake server (through the proxy flag); no key is configured.
  fake = await startFakeFal({ acceptedKeys: [GOOD_KEY] });
  app = await launchWebApp({ falProxy: fake.url });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

test('a sample photo becomes a model that opens in the viewer', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.appUrl);
  // The offline generator, explicitly (it is also what a first-time user without a key gets).
  await page.getByTestId('model-select').selectOption('offline/relief');
  // Added images use the generator the app has saved: wait for its answer (a loaded machine is slow to give it).
  await expect(page.getByTestId('model-select')).toHaveValue('offline/relief');
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
  await expect(row).toContainText('Toy duck (sample).jpg');
  await expect(page.getByTestId('sample-tray')).toHaveCount(0); // the queue is no longer empty
  await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await shots(page, 'sample-2-done');

  await page.getByRole('button', { name: 'Library' }).click();
  const card = page.getByTestId('model-card');
  await expect(card).toHaveCount(1);
  await expect(card.locator('.model-name')).toHaveText('Toy duck (sample)');
  await expect(card.getByTestId('model-set-count')).toHaveCount(0); // one photo: no set to mention
  await card.click();
  await expect(page.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 60_000 });
  await shots(page, 'sample-3-viewer');

  // The side pane's viewer: statistics off by default, and when asked for they cover none of the model.
  const viewer = page.locator('.mv');
  await expect(viewer).toHaveAttribute('data-compact', 'true');
  await expect(page.getByTestId('viewer-stats')).toHaveCount(0);
  await expect.poll(() => overlapsOf(page, ['.mv-toolbar'])).toEqual([]);
  await page.getByRole('button', { name: 'Model statistics' }).click();
  await expect(page.getByTestId('viewer-stats')).toBeVisible();
  await expect.poll(() => overlapsOf(page, ['.mv-toolbar', '[data-testid="viewer-stats"]'])).toEqual([]);
  await shots(page, 'sample-4-side-pane-stats');

  // The large view keeps its panel of statistics, and an open inspector moves the model aside too.
  await page.getByRole('button', { name: 'Large view' }).click();
  await expect(viewer).not.toHaveAttribute('data-compact', 'true');
  await expect(page.getByTestId('viewer-stats')).toBeVisible();
  await page.getByRole('button', { name: 'Inspector' }).click();
  await expect(page.getByTestId('viewer-inspector')).toBeVisible();
  await expect.poll(() => overlapsOf(page, ['.mv-toolbar', '[data-testid="viewer-stats"]', '[data-testid="viewer-inspector"]'])).toEqual([]);
  await shots(page, 'sample-5-large-inspector');
});

/**
 * The overlays (by selector) that cover part of the framed model, from the viewer's record of where it
 * framed the model (`data-model-box`: left top width height in CSS px of the viewport) and the
 * overlays' bounding boxes. A model that is not inside the viewport counts as "viewport".
 */
async function overlapsOf(page: Page, selectors: string[]): Promise<string[]> {
  return page.evaluate((list) => {
    const viewer = document.querySelector('.mv');
    const viewport = document.querySelector('.mv-viewport')?.getBoundingClientRect();
    const box = viewer?.getAttribute('data-model-box')?.split(' ').map(Number);
    if (!viewport || !box || box.length !== 4) return ['no framed model'];
    const model = { left: viewport.left + box[0]!, top: viewport.top + box[1]!, right: viewport.left + box[0]! + box[2]!, bottom: viewport.top + box[1]! + box[3]! };
    const hits: string[] = [];
    if (model.left < viewport.left || model.top < viewport.top || model.right > viewport.right || model.bottom > viewport.bottom) hits.push('viewport');
    for (const selector of list) {
      const overlay = document.querySelector(selector)?.getBoundingClientRect();
      if (!overlay) hits.push(`${selector} missing`);
      else if (overlay.left < model.right && model.left < overlay.right && overlay.top < model.bottom && model.top < overlay.bottom) hits.push(selector);
    }
    return hits;
  }, selectors);
}

test('adding a key is guided: where to get one, paste, test, and the waiting job starts', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.appUrl);
  // A photo for an AI generator waits, since there is no key yet.
  await page.getByTestId('model-select').selectOption('tripo3d/tripo/v2.5/image-to-3d');
  // Added images use the generator the app has saved: wait for its answer (a loaded machine is slow to give it).
  await expect(page.getByTestId('model-select')).toHaveValue('tripo3d/tripo/v2.5/image-to-3d');
  await page.getByTestId('file-input').setInputFiles([{ name: 'chair.png', mimeType: 'image/png', buffer: await makeTestPng(640, 640, { alpha: true, seed: 41 }) }]);
  const row = page.getByTestId('job-row');
  await expect(row).toHaveAttribute('data-state', 'queued');
  const banner = page.getByTestId('queue-banner');
  await expect(banner).toHaveAttribute('data-status', 'no_key');
  // The banner points to where keys come from; the link opens in the system browser, through the app.
  await expect(banner.getByTestId('banner-key-hint')).toContainText('Waiting jobs start by themselves once it works');
  await shots(page, 'key-0-banner');
  await banner.getByRole('button', { name: 'Get one on fal.ai' }).click();
  await expect.poll(() => app.platformCalls.filter((c) => c.startsWith('openExternal'))).toEqual(['openExternal https://fal.ai/dashboard/keys']);
  await banner.getByRole('button', { name: 'Add key' }).click();

  // Settings: the steps, with the key field ready for the paste.
  const guide = page.getByTestId('key-guide');
  await expect(page.getByTestId('key-input')).toBeFocused();
  await expect(guide).toContainText('Get a key from FAL');
  await expect(page.getByTestId('key-waiting')).toHaveText(/1 job is waiting for a key\. It starts by itself as soon as the key works/);
  await expect(guide.getByTestId('key-guide-test')).toBeDisabled(); // nothing to test yet
  await shots(page, 'key-1-guide');

  // The link opens fal.ai's key page in the system browser, through the app (not the page).
  await guide.getByRole('button', { name: 'Open fal.ai/dashboard/keys' }).click();
  await expect.poll(() => app.platformCalls.filter((c) => c.startsWith('openExternal'))).toEqual([
    'openExternal https://fal.ai/dashboard/keys',
    'openExternal https://fal.ai/dashboard/keys',
  ]);

  // A wrong key: saved, tested at once, and the test says FAL refused it.
  await page.getByTestId('key-input').fill('e2e-wrong-key-654321');
  await guide.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByTestId('key-test-result')).toContainText('FAL rejected this key');
  await shots(page, 'key-2-rejected');

  // The right one: accepted, and the waiting job starts by itself.
  await page.getByTestId('key-input').fill(GOOD_KEY);
  await guide.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByTestId('key-test-result')).toHaveText('FAL accepted the key.');
  await expect(page.getByTestId('key-status')).toContainText('Key ending in 3456');
  await shots(page, 'key-3-accepted');
  await guide.getByRole('button', { name: 'Test key' }).click();
  await expect(page.getByTestId('key-test-result')).toHaveText('FAL accepted the key.');

  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('job-row')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(page.getByTestId('queue-banner')).toHaveCount(0);
});

test('a FAL_KEY copied with an invisible character is not used, and Settings says why', async ({ page }) => {
  test.setTimeout(90_000);
  // The app started with FAL_KEY holding a zero-width space: it used to count as a key, and every FAL
  // call failed as a broken connection until jobs used up their attempts, with no word about the key.
  await app.stop();
  app = await launchWebApp({ falProxy: fake!.url, env: { FAL_KEY: `${GOOD_KEY}\u200b` } });
  await page.goto(app.appUrl);
  await page.getByTestId('model-select').selectOption('tripo3d/tripo/v2.5/image-to-3d');
  // Added images use the generator the app has saved: wait for its answer (a loaded machine is slow to give it).
  await expect(page.getByTestId('model-select')).toHaveValue('tripo3d/tripo/v2.5/image-to-3d');
  await page.getByTestId('file-input').setInputFiles([{ name: 'lamp.png', mimeType: 'image/png', buffer: await makeTestPng(640, 640, { alpha: true, seed: 43 }) }]);
  await expect(page.getByTestId('job-row')).toHaveAttribute('data-state', 'queued');
  const banner = page.getByTestId('queue-banner');
  await expect(banner).toHaveAttribute('data-status', 'no_key');
  await banner.getByRole('button', { name: 'Add key' }).click();
  await expect(page.getByTestId('key-status')).toContainText('No key set');
  await expect(page.getByTestId('key-env-problem')).toContainText('FAL_KEY (from the environment) is not used: it contains an invisible or unusual character');
  await shots(page, 'key-env-invisible-character');
  expect(fake!.submissions).toHaveLength(0);
});
