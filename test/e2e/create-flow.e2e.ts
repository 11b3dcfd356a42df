// The whole app in Debian Chromium: the built renderer over the browser transport, the real core
// (queue, offline generator, library, export) on a temp data dir, and a fake FAL server for the
// paid paths. Screenshots of each step are kept as test artifacts.
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { dropFiles, drawnPixelShare } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

async function shot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

/** A screenshot in the given theme (the app follows the system's), once its colours have settled. */
async function themedShot(page: Page, scheme: 'light' | 'dark', name: string) {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  await page.waitForTimeout(300); // colour transitions (screenshots only; no assertion depends on it)
  await shot(page, name);
}

async function pngFile(name: string, seed: number) {
  return { name, mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed }) };
}

test.describe('offline generator, no key', () => {
  let app: RunningWebApp;
  test.beforeEach(async () => {
    app = await launchWebApp();
  });
  test.afterEach(async () => app?.stop());

  test('drop two images -> both become models -> viewer draws one -> GLB export', async ({ page }) => {
    test.setTimeout(150_000);
    await page.goto(app.appUrl);
    await page.getByTestId('model-select').selectOption('offline/relief');
    // Added images use the generator the app has saved: wait for its answer (a loaded machine is slow to give it).
    await expect(page.getByTestId('model-select')).toHaveValue('offline/relief');
    await expect(page.getByTestId('price-estimate')).toContainText('Free');

    await dropFiles(page, page.getByTestId('drop-zone'), [await pngFile('red-mug.png', 11), await pngFile('blue-vase.png', 12)]);
    await expect(page.getByTestId('intake-notice')).toContainText('2 images added');
    const rows = page.getByTestId('job-row');
    await expect(rows).toHaveCount(2);
    await expect(page.locator('[data-testid="job-row"] img')).toHaveCount(2); // source thumbnails
    await shot(page, 'flow-1-added');

    // Both jobs run to the end; the bar ends full.
    for (const name of ['red-mug.png', 'blue-vase.png']) {
      const row = page.locator('[data-testid="job-row"]', { hasText: name });
      await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
      await expect(row.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
    }
    await shot(page, 'flow-2-done');

    // Both are in the library.
    await page.getByRole('button', { name: 'Library' }).click();
    await expect(page.getByTestId('library-count')).toHaveText('2 models');
    await expect(page.getByTestId('model-card')).toHaveCount(2);
    await shot(page, 'flow-3-library');

    // Opening one shows it in the viewer, which draws real pixels.
    await page.getByTestId('model-card').filter({ hasText: 'red-mug' }).click();
    await expect(page.locator('.mv[data-status="ready"]')).toBeVisible({ timeout: 60_000 });
    await shot(page, 'flow-4-viewer');
    const grid = page.getByRole('button', { name: /ground grid/i });
    if ((await grid.getAttribute('aria-pressed')) === 'true') await grid.click(); // count the model only
    // Auto-rotate renders every frame, so the drawing buffer holds a fresh frame when it is read.
    await page.getByRole('button', { name: /auto-rotate/i }).click();
    await expect.poll(() => drawnPixelShare(page), { timeout: 20_000 }).toBeGreaterThan(0.02);
    await page.getByRole('button', { name: /auto-rotate/i }).click();

    // Export writes a real GLB where the headless platform saves (<dataDir>/exports/). That platform
    // does not create the folder itself (a desktop save dialog only offers existing folders).
    const exportsDir = join(app.dataDir, 'exports');
    mkdirSync(exportsDir, { recursive: true });
    await page.getByRole('button', { name: 'Export GLB' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Exported to' })).toBeVisible();
    const [exported] = readdirSync(exportsDir).filter((f) => f.endsWith('.glb'));
    expect(exported).toBeTruthy();
    const bytes = readFileSync(join(exportsDir, exported!));
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('glTF');
    expect(bytes.readUInt32LE(4)).toBe(2);
    expect(bytes.readUInt32LE(8)).toBe(bytes.length);
  });

  test('a file that is not an image is refused with its reason', async ({ page }) => {
    await page.goto(app.appUrl);
    await dropFiles(page, page.getByTestId('drop-zone'), [
      { name: 'notes.png', mime: 'image/png', bytes: Buffer.from('this is plain text, not a picture') },
    ]);
    const rejected = page.getByTestId('rejected-item');
    await expect(rejected).toHaveCount(1);
    await expect(rejected).toContainText('notes.png');
    await expect(page.getByTestId('job-row')).toHaveCount(0);
    await shot(page, 'bad-file');
  });

  test('the file picker adds images too', async ({ page }) => {
    await page.goto(app.appUrl);
    await page.getByTestId('model-select').selectOption('offline/relief');
    // Added images use the generator the app has saved: wait for its answer (a loaded machine is slow to give it).
    await expect(page.getByTestId('model-select')).toHaveValue('offline/relief');
    await page.getByTestId('file-input').setInputFiles([
      { name: 'picked.png', mimeType: 'image/png', buffer: await makeTestPng(320, 320, { seed: 5 }) },
    ]);
    await expect(page.getByTestId('job-row')).toHaveCount(1);
    await expect(page.getByTestId('job-row')).toContainText('picked.png');
  });
});

test.describe('FAL (fake server)', () => {
  let fake: FakeFal;
  let app: RunningWebApp;
  test.afterEach(async () => {
    await app?.stop();
    await fake?.close();
  });

  test('cancel stops a running job', async ({ page }) => {
    fake = await startFakeFal({ holdJobs: true, cancelStopsRunning: true });
    app = await launchWebApp({ env: { FAL_KEY: 'e2e-good-key-123456' }, falProxy: fake.url });
    await page.goto(app.appUrl);
    await dropFiles(page, page.getByTestId('drop-zone'), [await pngFile('lamp.png', 21)]);
    const row = page.getByTestId('job-row');
    await expect(row).toHaveAttribute('data-state', /submitted|running/, { timeout: 30_000 });
    await shot(page, 'cancel-1-running');
    await row.getByRole('button', { name: /^Cancel/ }).click();
    await expect(row).toHaveAttribute('data-state', 'canceled', { timeout: 30_000 });
    // A canceled job is never brought back by the core, so its row offers no retry that could only fail.
    await expect(row).toContainText('add the photo again');
    await expect(row.getByRole('button', { name: /^(Retry|Generate) / })).toHaveCount(0);
    await expect(row.getByRole('button', { name: /^Remove / })).toBeVisible();
    await shot(page, 'cancel-2-canceled');
  });

  test('the same photo dropped again while its job runs joins that job: no second job, nothing sent twice, and the notice says so', async ({ page }) => {
    fake = await startFakeFal({ holdJobs: true });
    app = await launchWebApp({ env: { FAL_KEY: 'e2e-good-key-123456' }, falProxy: fake.url });
    await page.goto(app.appUrl);
    await dropFiles(page, page.getByTestId('drop-zone'), [await pngFile('lamp.png', 21)]);
    const row = page.getByTestId('job-row');
    await expect(row).toHaveAttribute('data-state', /submitted|running/, { timeout: 30_000 });
    await dropFiles(page, page.getByTestId('drop-zone'), [await pngFile('lamp.png', 21)]);
    await expect(page.getByTestId('intake-joined')).toHaveText('lamp.png is already on its way with these settings, so it joined that job: nothing new is charged.');
    await expect(page.getByTestId('intake-notice')).not.toContainText('image added');
    await expect(row).toHaveCount(1);
    expect(fake.submissions).toHaveLength(1);
    await shot(page, 'joined-running-job');

    // "Make again anyway" makes a second, separately paid job for that photo - after saying so.
    await page.getByTestId('intake-joined-offer').getByRole('button', { name: 'Make again anyway' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading')).toHaveText('Make “lamp.png” again?');
    await expect(dialog).toContainText('lamp.png is already on its way with these settings.');
    await expect(dialog).toContainText('Making it again starts a new generation that is charged again (≈ $');
    for (const scheme of ['light', 'dark'] as const) await themedShot(page, scheme, `joined-make-again-${scheme}`);
    await dialog.getByRole('button', { name: /^Make again \(≈ \$/ }).click();
    await expect(page.getByTestId('intake-notice')).toContainText('1 image added');
    await expect(page.getByTestId('job-row')).toHaveCount(2);
    await expect.poll(() => fake.submissions.length, { timeout: 30_000 }).toBe(2);
  });

  test('the same photo twice in one drop: its one job counts as added, the copy is named as sharing it', async ({ page }) => {
    fake = await startFakeFal({ holdJobs: true });
    app = await launchWebApp({ env: { FAL_KEY: 'e2e-good-key-123456' }, falProxy: fake.url });
    await page.goto(app.appUrl);
    const lamp = await pngFile('lamp.png', 21);
    await dropFiles(page, page.getByTestId('drop-zone'), [lamp, { ...lamp, name: 'lamp copy.png' }]);
    const notice = page.getByTestId('intake-notice');
    await expect(notice).toContainText('1 image added');
    await expect(notice).toContainText('1 copy in this drop');
    await expect(notice).not.toContainText('already on its way');
    await expect(page.getByTestId('intake-joined')).toHaveText('lamp copy.png is the same image as lamp.png, so both share one job: it is charged once.');
    await expect(page.getByTestId('job-row')).toHaveCount(1);
    for (const scheme of ['light', 'dark'] as const) await themedShot(page, scheme, `same-photo-twice-${scheme}`);
  });

  test('a rejected key (401) pauses the queue and the banner offers to fix it', async ({ page }) => {
    fake = await startFakeFal({ acceptedKeys: ['e2e-good-key-123456'] });
    app = await launchWebApp({ env: { FAL_KEY: 'e2e-wrong-key-654321' }, falProxy: fake.url });
    await page.goto(app.appUrl);
    await dropFiles(page, page.getByTestId('drop-zone'), [await pngFile('chair.png', 31)]);
    const banner = page.getByTestId('queue-banner');
    await expect(banner).toHaveAttribute('data-status', 'key_rejected', { timeout: 30_000 });
    await expect(banner.getByRole('button', { name: 'Update key' })).toBeVisible();
    await shot(page, 'key-rejected');
    await banner.getByRole('button', { name: 'Update key' }).click();
    await expect(page.getByTestId('key-input')).toBeFocused();
    // Settings does not show the refused key as all set.
    await expect(page.getByTestId('key-status')).toContainText('Key ending in 4321: FAL rejected it');
    await expect(page.getByTestId('key-status')).toHaveClass(/is-rejected/);
    await shot(page, 'key-rejected-settings');
  });
});
