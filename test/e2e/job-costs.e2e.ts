// What a job really cost, next to its estimate (Debian Chromium, browser transport, real core, fake
// FAL with its platform API): the queue row first shows the units FAL reported priced at its list
// price, then - once the billing key is saved and FAL's billing records are read - what FAL charged
// (here with a 20 % discount, so it differs from the estimate). The library details say the same.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-fal-key-0123456789';
const ADMIN = 'e2e-admin-key-98765abcd';
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';

async function shot(page: Page, target: Page | Locator, name: string) {
  await page.waitForTimeout(150);
  const path = test.info().outputPath(`${name}.png`);
  await target.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

let fake: FakeFal;
let app: RunningWebApp;
test.beforeEach(async () => {
  // FAL lists Tripo at $0.25 a unit and bills 1 unit per request, with a 20 % discount on the bill.
  fake = await startFakeFal({ platform: { adminKeys: [ADMIN], prices: { [TRIPO]: { unitPrice: 0.25 } }, billableUnits: 1, percentDiscount: 20 } });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: KEY } });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

test("a finished job shows what FAL charged next to the estimate, in the queue and the library, light and dark", async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(app.appUrl);
  await expect(page.getByTestId('price-basis')).toContainText("FAL's price as of", { timeout: 15_000 });
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'teapot.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 41 }) }]);
  const row = page.getByTestId('job-row');
  await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 45_000 });
  const meta = row.locator('.job-meta');

  // No billing key: the units FAL reported on the result (1 × $0.25), labelled as such.
  const real = row.getByTestId('job-real-cost');
  await expect(real).toHaveText("$0.25 charged (FAL's units × price)");
  await expect(real).toHaveAttribute('data-source', 'units_header');
  // Standard Tripo is 1.5 units (texture) at FAL's $0.25: the estimate stays, marked as one.
  await expect(meta).toContainText(/≈ \$0\.3[78] est\. · \$0\.25 charged/);

  // The billing key: FAL's billing records say what was charged (1 × $0.25 − 20 % = $0.20).
  await page.getByRole('button', { name: 'Settings' }).click();
  const spending = page.getByRole('region', { name: 'Spending' });
  await spending.scrollIntoViewIfNeeded();
  await page.getByTestId('billing-key-input').fill(ADMIN);
  await spending.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('spend-basis')).toContainText('read from FAL at');
  expect(fake.platform.billingEvents().map((e) => e.cost_total)).toEqual([0.2]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Create' }).click();
  await expect(real).toHaveText('$0.20 charged (FAL billing)');
  await expect(real).toHaveAttribute('data-source', 'billing_event');
  await expect(meta).toContainText(/≈ \$0\.3[78] est\. · \$0\.20 charged \(FAL billing\)/);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await shot(page, page.getByTestId('queue'), `queue-real-cost-${scheme}`);
  }

  // The library's details show both too.
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('model-card').first().click();
  await expect(page.getByTestId('model-real-cost')).toHaveText(' · $0.20 charged (FAL billing)');
  await expect(page.getByTestId('model-cost')).toContainText(/≈ \$0\.3[78] est\. · \$0\.20 charged/);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.getByTestId('model-cost').scrollIntoViewIfNeeded();
    await shot(page, page, `library-real-cost-${scheme}`);
  }
});
