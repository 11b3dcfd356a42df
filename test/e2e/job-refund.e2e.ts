// What FAL refunded, next to what it charged (Debian Chromium, browser transport, real core, fake FAL
// with its platform API): once the billing key is saved and FAL's billing records list a refund of a
// job's request, the queue row and the library details say so - part of a charge refunded ("$0.15
// charged, $0.10 refunded"), or all of it ("refunded") - with the explanation in the tooltip.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openDatabase } from '../../src/core/db/open';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-fal-key-0123456789';
const ADMIN = 'e2e-admin-key-98765abcd';
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';

async function shot(page: Page, target: Locator, name: string) {
  await page.waitForTimeout(150);
  const path = test.info().outputPath(`${name}.png`);
  await target.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

/** A refund billing event of `usd` for the request, a minute after its charge, as FAL lists one. */
function refund(requestId: string, usd: number) {
  return {
    request_id: requestId,
    endpoint_id: TRIPO,
    timestamp: new Date(Date.now() + 60_000).toISOString(),
    output_units: 0,
    unit_price: 0.25,
    percent_discount: null,
    cost_subtotal: -usd,
    cost_discount: 0,
    cost_total: -usd,
    cost_estimate_nano_usd: Math.round(-usd * 1e9),
  };
}

let fake: FakeFal;
let app: RunningWebApp;
test.beforeEach(async () => {
  // FAL lists Tripo at $0.25 a unit and bills 1 unit per request.
  fake = await startFakeFal({ platform: { adminKeys: [ADMIN], prices: { [TRIPO]: { unitPrice: 0.25 } }, billableUnits: 1 } });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: KEY } });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

test('a job FAL refunded says so in the queue and the library: part of the charge, or all of it', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(app.appUrl);
  await expect(page.getByTestId('price-basis')).toContainText("FAL's price as of", { timeout: 15_000 });
  await dropFiles(page, page.getByTestId('drop-zone'), [
    { name: 'kettle.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 51 }) },
    { name: 'lamp.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 52 }) },
  ]);
  const rows = page.getByTestId('job-row');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 45_000 });

  // FAL refunds $0.10 of the kettle's $0.25 and all of the lamp's.
  const requestOf = (name: string) => {
    const db = openDatabase(app.dataDir);
    try {
      return (db.prepare('SELECT fal_request_id AS id FROM jobs WHERE input_name = ?').get(name) as { id: string }).id;
    } finally {
      db.close();
    }
  };
  fake.setPlatform({ extraBillingEvents: [refund(requestOf('kettle.png'), 0.1), refund(requestOf('lamp.png'), 0.25)] });

  await page.getByRole('button', { name: 'Settings' }).click();
  const spending = page.getByRole('region', { name: 'Spending' });
  await spending.scrollIntoViewIfNeeded();
  await page.getByTestId('billing-key-input').fill(ADMIN);
  await spending.getByRole('button', { name: 'Save' }).click();
  // FAL's billing records read (their charges and refunds come in one read). Not 'read from FAL at':
  // that part of the line can lag behind the read (a summary the window got while it ran), which
  // platform.e2e and job-costs.e2e cover.
  await expect(page.getByTestId('spend-basis')).toContainText('What FAL charged');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Create' }).click();
  const kettle = rows.filter({ hasText: 'kettle' }).getByTestId('job-real-cost');
  const lamp = rows.filter({ hasText: 'lamp' }).getByTestId('job-real-cost');
  await expect(kettle).toHaveText('$0.15 charged, $0.10 refunded (FAL billing)');
  await expect(kettle).toHaveAttribute('title', /FAL refunded \$0\.10 of its charges; \$0\.15 is left charged\./);
  await expect(lamp).toHaveText('refunded (FAL billing)');
  await expect(lamp).toHaveAttribute('title', /FAL refunded \$0\.25 of its charges; nothing is left charged\./);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await shot(page, page.getByTestId('queue'), `queue-refunded-${scheme}`);
  }

  // The library's details say the same.
  await page.getByRole('button', { name: 'Library' }).click();
  await page.getByTestId('model-card').filter({ hasText: 'kettle' }).click();
  await expect(page.getByTestId('model-real-cost')).toHaveText(' · $0.15 charged, $0.10 refunded (FAL billing)');
});
