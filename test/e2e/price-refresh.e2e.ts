// The window asks FAL for its prices (prices:refresh) when it opens and comes back to the front, when
// those it shows are old (Debian Chromium, browser transport, real core, fake FAL with its platform
// API; the page's clock is moved on, the app's is not). Before, only the core asked (at start, then
// hourly once 6 h old) and the window read the prices once: opened while FAL's API was down, it showed
// the built-in estimate until reloaded. A failed ask shows nothing and keeps the prices shown.
import { expect, test } from '@playwright/test';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-fal-key-0123456789';
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const BUILT_IN = 'per model, built-in estimate (FAL prices not read yet)';

let fake: FakeFal;
let app: RunningWebApp;
test.beforeEach(async () => {
  // FAL's platform API is down when the app starts: the core's own ask at start fails.
  fake = await startFakeFal({ platform: { prices: { [TRIPO]: { unitPrice: 0.25 } }, down: 503 } });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: KEY } });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

const priceAsks = () => fake.requests.filter((entry) => entry.op === 'platform' && entry.targetUrl.includes('/models/pricing')).length;

test("the window asks FAL for its prices on coming to the front once they are old; a failed ask keeps what is shown, quietly", async ({ page }) => {
  test.setTimeout(90_000);
  await page.clock.install();
  await page.goto(app.appUrl);
  const basis = page.getByTestId('price-basis');
  await expect(basis).toHaveText(BUILT_IN, { timeout: 15_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);

  // FAL's API is back. A few minutes on (past the pause after a failed ask), the window comes to the front.
  fake.setPlatform({ down: false });
  await expect(async () => {
    await page.clock.fastForward('06:00');
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect(basis).toContainText("FAL's price as of", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  const shown = await basis.textContent();

  // Two hours on, FAL's API is down again: the window asks, the ask fails, the prices shown stay.
  fake.setPlatform({ down: 503 });
  const before = priceAsks();
  await page.clock.fastForward('02:00:00');
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect.poll(priceAsks).toBeGreaterThan(before);
  await expect(basis).toHaveText(shown!);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
