// In a browser (the browser transport, npm run dev:web) the page declared no icon, so Chromium asked
// for /favicon.ico, got a 404 and logged it as a console error on every start. index.html now names
// the app icon, bundled with the page.
import { expect, test } from '@playwright/test';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
});
test.afterAll(async () => {
  await app?.stop();
});

test('the page has the app icon and asks for nothing that is not there', async ({ page }) => {
  const missing: string[] = [];
  const consoleErrors: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) missing.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(app.appUrl);
  await expect(page.getByRole('heading', { name: 'Create', level: 1 })).toBeVisible();
  await expect(page.locator('link[rel="icon"]')).toHaveCount(1);
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const icon = await page.request.get(new URL(href!, page.url()).toString());
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/png');
  // The browser asks for the icon by itself after the load: give it that moment, then nothing failed.
  await page.waitForLoadState('networkidle');
  expect(missing).toEqual([]);
  expect(consoleErrors.filter((text) => /favicon|404/i.test(text))).toEqual([]);
});
