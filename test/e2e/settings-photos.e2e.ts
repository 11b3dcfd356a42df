// Settings > Photos: the upload limit and the long side photos are scaled to had no control (only the
// settings file, read at start). They are set here, a bad value is refused with what to type, and the
// next photo is prepared with the new value without a restart. Light and dark screenshots.
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
test.beforeEach(async () => {
  app = await launchWebApp({});
});
test.afterEach(async () => {
  await app?.stop();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`(${scheme}) the long side is set in Settings and the next photo is scaled to it`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(app.appUrl);
    await page.getByRole('button', { name: 'Settings' }).click();
    const side = page.getByLabel('Scale photos down to (px, long side)');
    await expect(side).toHaveValue('2048');
    await side.fill('100');
    await side.press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: 'Enter a whole number from 256 to 8192 (px).' })).toBeVisible();
    const limit = page.getByLabel('Largest photo taken (MB)');
    await expect(limit).toHaveValue('50');
    await page.locator('#settings-photos').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // colour transitions (screenshot only)
    await page.screenshot({ path: test.info().outputPath(`settings-photos-${scheme}.png`) });

    await side.fill('256');
    await side.press('Enter');
    await expect(page.locator('#settings-photos').getByText('Saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Create' }).click();
    await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'poster.png', mime: 'image/png', bytes: await makeTestPng(800, 800, { alpha: true, seed: 81 }) }]);
    await expect(page.getByTestId('intake-warning')).toContainText('is sent at 256 x 256 px, scaled to 256 px on its long side');
  });
}
