// A job given up because FAL kept answering its status with server errors was counted as spent, though
// FAL never charges a 5xx and charges a run only if it finished: whether it did is unknown. It is now
// "May be charged" in Settings > Spending (counted against the cap), and the note under the figures
// names such jobs. Once FAL's request history shows the run finished, the job's row says FAL charged it
// (it kept saying "may be charged") and offers Download again. (Debian Chromium, browser transport, real
// core, fake FAL.) Light and dark screenshots.
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const KEY = 'e2e-fal-key-0123456789';

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
  // FAL still runs it: its request history cannot settle it yet (a finished run is settled within seconds).
  fake = await startFakeFal({ holdJobs: true });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: KEY } });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

test('a job given up on FAL answering its status with 502: "May be charged", not spent, and the note says why', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.appUrl);
  fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity }, { op: 'stream', fault: { kind: 'infra', status: 502 }, times: Infinity });
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'vase.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 62 }) }]);
  const row = page.getByTestId('job-row').first();
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 90_000 });

  await page.getByRole('button', { name: 'Settings' }).click();
  const spending = page.getByRole('region', { name: 'Spending' });
  await spending.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('spend-possible')).not.toHaveText('$0.00');
  await expect(page.getByTestId('spend-grid').getByText('This month', { exact: true }).locator('..')).toContainText('$0.00');
  await expect(page.getByTestId('spend-possible-note')).toContainText('jobs given up while FAL kept answering with server errors, or not at all');
  await themedShot(page, 'light', 'possible-charge-unanswered-light');
  await themedShot(page, 'dark', 'possible-charge-unanswered-dark');
});

test('FAL finished the job given up on: within seconds its row says FAL charged it and offers Download again, and nothing may be charged', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.appUrl);
  fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity }, { op: 'stream', fault: { kind: 'infra', status: 502 }, times: Infinity });
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'vase.png', mime: 'image/png', bytes: await makeTestPng(640, 640, { alpha: true, seed: 63 }) }]);
  const row = page.getByTestId('job-row').first();
  await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 90_000 });
  await expect(row.getByTestId('job-detail')).toContainText('"may be charged"');
  // FAL finishes it: its request history shows so, and the app settles it by itself.
  fake.setOptions({ holdJobs: false });
  await expect(row.getByTestId('job-detail')).toContainText('shows FAL finished it: it was charged. Use Download again (free) to fetch its model.', { timeout: 30_000 });
  await expect(row.getByTestId('job-detail')).not.toContainText('may be charged');
  await expect(row.getByRole('button', { name: 'Download again' })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.waitForTimeout(300); // colour transitions (screenshots only; no assertion depends on it)
    const path = test.info().outputPath(`settled-charged-row-${scheme}.png`);
    await row.screenshot({ path });
    await test.info().attach(`settled-charged-row-${scheme}`, { path, contentType: 'image/png' });
  }
  // Spent, at its estimate: nothing is left that may be charged.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('region', { name: 'Spending' }).scrollIntoViewIfNeeded();
  await expect(page.getByTestId('spend-grid').getByText('This month', { exact: true }).locator('..')).not.toContainText('$0.00');
  await expect(page.getByTestId('spend-possible')).toHaveCount(0);
});
