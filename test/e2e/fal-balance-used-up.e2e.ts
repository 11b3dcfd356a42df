// FAL refuses jobs with 403 "User is locked. Reason: Exhausted balance" once the account's balance is
// used up. The app told the user their key was not accepted and to enter a working key in Settings
// (the key is fine: the balance is the problem), and after topping up nothing but saving the key
// again resumed the queue - "Test key" said FAL accepted it while the queue stayed paused. Now the
// banner says to top up at fal.ai, and a key test that passes resumes the waiting jobs.
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let fake: FakeFal;
let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  fake = await startFakeFal({ processingMs: 200 });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: 'test-key-id:balance-used-up' } });
});
test.afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

test('a used-up balance says to top up at fal.ai, and a passing key test resumes the waiting job', async ({ page }) => {
  test.setTimeout(120_000);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  fake.script({ op: 'submit', fault: { kind: 'auth', status: 403 } });
  await page.goto(app.appUrl);
  await page.getByTestId('model-select').selectOption('tripo3d/tripo/v2.5/image-to-3d');
  await expect(page.getByTestId('model-select')).toHaveValue('tripo3d/tripo/v2.5/image-to-3d');
  await page.getByTestId('file-input').setInputFiles([{ name: 'kettle.png', mimeType: 'image/png', buffer: await makeTestPng(640, 640, { alpha: true, seed: 51 }) }]);

  const banner = page.getByTestId('queue-banner');
  await expect(banner).toHaveAttribute('data-status', 'key_rejected', { timeout: 30_000 });
  await expect(banner).toContainText('Top up your FAL balance at fal.ai/dashboard/billing');
  await expect(banner).not.toContainText('Enter a working key');
  await page.screenshot({ path: test.info().outputPath('balance-used-up-banner.png') });

  // Topped up (the fake refuses no more): the key test passes, and the job goes on by itself.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Test key' }).click();
  await expect(page.getByText('FAL accepted the key.')).toBeVisible();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('job-row')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(banner).toHaveCount(0);
});
