// Settings > Spending right after the billing key is saved (Debian Chromium, browser transport, real
// core, fake FAL platform API whose balance answer takes a while): a summary the window got while FAL
// was being read (here: a job finished meanwhile) replaced the read's own answer, and nothing told the
// window when the read ended - "read from FAL at" and the balance stayed missing until some later
// refresh. The core now tells the window when a read ends (event cost:changed).
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-fal-key-0123456789';
const ADMIN = 'e2e-admin-key-98765abcd';

let fake: FakeFal;
let app: RunningWebApp;
test.beforeEach(async () => {
  fake = await startFakeFal({ platform: { adminKeys: [ADMIN], balanceUsd: 42.5 } });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: KEY } });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

test('"read from FAL at" and the balance show once the read ends, though a job finished while it ran', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(app.appUrl);
  const rows = page.getByTestId('job-row');
  await page.getByRole('button', { name: 'Settings' }).click();
  const spending = page.getByRole('region', { name: 'Spending' });
  await spending.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('spend-basis')).toContainText('Estimated from prices');

  // FAL's balance answers 15 s late: the read runs while the job below is made.
  fake.setPlatform({ accountDelayMs: 15_000 });
  await page.getByTestId('billing-key-input').fill(ADMIN);
  await spending.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('billing-key')).toContainText('Billing key ending in abcd');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Create' }).click();
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'kettle.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 53 }) }]);
  await expect(rows.first()).toHaveAttribute('data-state', 'succeeded', { timeout: 45_000 });

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('spend-basis')).toContainText('read from FAL at', { timeout: 30_000 });
  await expect(page.getByTestId('fal-balance')).toHaveText('$42.25'); // $42.50 less the job's $0.25
});
