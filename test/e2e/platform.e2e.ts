// Real prices and real spend in the UI (Debian Chromium, browser transport, real core) against the
// fake FAL platform API: the chooser shows FAL's price with its date, Settings > Spending takes a
// billing key (the page learns only its last 4 characters) and shows FAL's balance.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-fal-key-0123456789';
const ADMIN = 'e2e-admin-key-98765abcd';

async function shot(page: Page, name: string) {
  await page.waitForTimeout(150);
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

let fake: FakeFal;
let app: RunningWebApp;
test.beforeEach(async () => {
  fake = await startFakeFal({ platform: { adminKeys: [ADMIN], prices: { 'tripo3d/tripo/v2.5/image-to-3d': { unitPrice: 0.25 } }, balanceUsd: 42.5 } });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: KEY } });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

test('FAL prices in the chooser and the billing key with the balance in Settings, light and dark', async ({ page }) => {
  // The app reads FAL's prices at start; wait for its cache, then load the page.
  await expect.poll(() => existsSync(join(app.dataDir, 'fal-prices.json')), { timeout: 15_000 }).toBe(true);
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(app.appUrl);
    await expect(page.getByTestId('price-basis')).toContainText("FAL's price as of");
    // Standard Tripo is 1.5 units (texture) of FAL's $0.25.
    await expect(page.getByTestId('price-estimate')).toContainText(/≈ \$0\.3[78]/);
    await shot(page, `chooser-fal-price-${scheme}`);
  }

  await page.getByRole('button', { name: 'Settings' }).click();
  const spending = page.getByRole('region', { name: 'Spending' });
  await spending.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('spend-basis')).toContainText('Estimated from prices');
  await page.getByTestId('billing-key-input').fill(ADMIN);
  await spending.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('billing-key')).toContainText('Billing key ending in abcd');
  await expect(page.getByTestId('fal-balance')).toHaveText('$42.50');
  await expect(page.getByTestId('spend-basis')).toContainText('read from FAL at');
  expect(await page.content()).not.toContain(ADMIN);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await spending.scrollIntoViewIfNeeded();
    await shot(page, `spending-billing-key-${scheme}`);
  }
});
