// The app shell in Debian Chromium over the browser transport: app:info travels through the real
// handlers and shows in the page.
import { expect, test } from '@playwright/test';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
let fake: FakeFal;
test.beforeAll(async () => {
  // With a key the app asks FAL for prices at start: the fake FAL, never the real one.
  fake = await startFakeFal();
  app = await launchWebApp({ env: { FAL_KEY: 'e2e-test-key-1234' }, falProxy: fake.url });
});
test.afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

test('shows app:info from the core over the browser transport', async ({ page }, testInfo) => {
  await page.goto(app.appUrl);
  await page.getByRole('button', { name: /about/i }).click().catch(() => {});
  const info = page.getByTestId('app-info');
  await expect(info).toBeVisible();
  await expect(page.getByTestId('app-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId('app-data-dir')).toHaveText(app.dataDir);
  await expect(page.getByTestId('app-key')).toContainText('environment');
  await page.screenshot({ path: testInfo.outputPath('app-shell.png'), fullPage: true });
  await testInfo.attach('app-shell', { path: testInfo.outputPath('app-shell.png'), contentType: 'image/png' });
});

test('the bridge refuses a page without the run token', async ({ page }) => {
  const url = new URL(app.appUrl);
  await page.goto(`${url.origin}/#token=wrong-token`);
  await expect(page.getByRole('alert')).toBeVisible();
});
