// FAL refuses jobs with 403 "User is locked. Reason: Exhausted balance" once the account's balance is
// used up. The app told the user their key was not accepted and to enter a working key in Settings
// (the key is fine: the balance is the problem), and after topping up nothing but saving the key
// again resumed the queue. Then the banner kept the title "FAL did not accept your key" with an
// "Update key" button, and Settings said to paste a working key. Now the queue has its own status:
// the banner says the balance is used up, to top up at fal.ai and press Test key (in the banner), and
// Settings says the same; a key test that passes resumes the waiting jobs.
import { expect, test, type Page } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { launchWebApp, type RunningWebApp } from './support/web-app';

// One app per run: each starts with a fresh queue (no refusal, no job left from the other scheme).
let fake: FakeFal;
let app: RunningWebApp;
test.beforeEach(async () => {
  test.setTimeout(120_000);
  fake = await startFakeFal({ processingMs: 200 });
  app = await launchWebApp({ falProxy: fake.url, env: { FAL_KEY: 'test-key-id:balance-used-up' } });
});
test.afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

async function dropOne(page: Page): Promise<void> {
  await page.getByTestId('model-select').selectOption('tripo3d/tripo/v2.5/image-to-3d');
  await expect(page.getByTestId('model-select')).toHaveValue('tripo3d/tripo/v2.5/image-to-3d');
  await page.getByTestId('file-input').setInputFiles([{ name: 'kettle.png', mimeType: 'image/png', buffer: await makeTestPng(640, 640, { alpha: true, seed: 51 }) }]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: a used-up balance has its own banner and Settings wording, and the banner's Test key resumes the job`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: scheme });
    fake.script({ op: 'submit', fault: { kind: 'auth', status: 403 } });
    await page.goto(app.appUrl);
    await dropOne(page);

    const banner = page.getByTestId('queue-banner');
    await expect(banner).toHaveAttribute('data-status', 'balance_used_up', { timeout: 30_000 });
    await expect(banner.getByRole('heading')).toHaveText('Your FAL balance is used up');
    await expect(banner).toContainText('Top up at fal.ai/dashboard/billing, then press Test key');
    await expect(banner).not.toContainText(/did not accept your key|Enter a working key/);
    await expect(banner.getByRole('button', { name: 'Update key' })).toHaveCount(0);
    await expect(banner.getByRole('button', { name: /Top up on fal\.ai/ })).toBeVisible();
    await expect(page.getByTestId('job-row')).toContainText('Waiting for your FAL balance to be topped up');
    await page.screenshot({ path: test.info().outputPath(`balance-used-up-banner-${scheme}.png`) });

    await page.getByRole('button', { name: 'Settings' }).click();
    const keyStatus = page.getByTestId('key-status');
    await expect(keyStatus).toContainText('your FAL balance is used up');
    await expect(keyStatus).toContainText('Top up at fal.ai/dashboard/billing, then press Test key');
    await expect(keyStatus).not.toContainText('Paste a working key');
    await expect(page.getByTestId('key-waiting')).toContainText('waiting for your FAL balance to be topped up');
    await page.getByTestId('key-guide').scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath(`balance-used-up-settings-${scheme}.png`) });

    // Topped up (the fake refuses no more): the banner's Test key passes, and the job goes on by itself.
    await page.getByRole('button', { name: 'Create' }).click();
    await banner.getByTestId('banner-test-key').click();
    await expect(page.getByText('FAL accepted the key.')).toBeVisible();
    await expect(page.getByTestId('job-row')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    await expect(banner).toHaveCount(0);
  });
}
