// A job FAL failed (a 422 from its run: bad input or content policy) may be charged - FAL bills such a
// run if it had already used GPU time - and only FAL's billing records say whether it was; FAL's request
// history, readable with the ordinary key, carries no cost. Without a billing key it stays "may be
// charged" (counted against the cap) for its whole month, and Settings > Spending showed only the amount,
// with the reason in a tooltip. It now says why it is unsettled and what settles it: a billing key.
// (Debian Chromium, browser transport, real core, fake FAL.) Light and dark screenshots.
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-fal-key-0123456789';
const ADMIN = 'e2e-admin-key-98765abcd';

async function themedShot(page: Page, scheme: 'light' | 'dark', name: string) {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  await page.waitForTimeout(300); // colour transitions (screenshots only; no assertion depends on it)
  const path = test.info().outputPath(`${name}.png`);
  await page.getByRole('region', { name: 'Spending' }).screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

let fake: FakeFal;
let app: RunningWebApp;
test.beforeEach(async () => {
  fake = await startFakeFal({ platform: { adminKeys: [ADMIN] } });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: KEY } });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

test('a job FAL failed, no billing key: Spending says why it may be charged and that a billing key settles it', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(app.appUrl);
  fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 422, detail: [{ loc: ['body', 'image_url'], msg: 'Content policy', type: 'content_policy_violation' }] } });
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'vase.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 61 }) }]);
  await expect(page.getByTestId('job-row').first()).toHaveAttribute('data-state', 'failed', { timeout: 45_000 });

  await page.getByRole('button', { name: 'Settings' }).click();
  const spending = page.getByRole('region', { name: 'Spending' });
  await spending.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('spend-possible')).not.toHaveText('$0.00');
  const note = page.getByTestId('spend-possible-note');
  await expect(note).toContainText('only its billing records say');
  await expect(note).toContainText('Add a billing key below');
  await themedShot(page, 'light', 'possible-charge-light');
  await themedShot(page, 'dark', 'possible-charge-dark');

  // The billing key settles it: FAL's billing records hold the failed run's charge (the fake bills a
  // 422 run), which counts as spent; nothing is left that may be charged.
  await page.getByTestId('billing-key-input').fill(ADMIN);
  await spending.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('spend-basis')).toContainText('read from FAL at', { timeout: 30_000 });
  await expect(page.getByTestId('spend-possible')).toHaveCount(0);
  await expect(note).toHaveCount(0);
});
