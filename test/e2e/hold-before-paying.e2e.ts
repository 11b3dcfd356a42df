// The check before paying (PRODUCT.md): a photo dropped for a paid generator that would give a poorer
// model (here 200 x 150 px) is not sent - before, it was sent and charged, and the notice said so
// afterwards. The notice lists it with why, says nothing was charged, and offers "Send anyway" (with its
// price) and "Leave out"; the other photo of the drop goes at once. Light and dark screenshots.
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { dropFiles } from './support/page-helpers';
import { useKeyedAppWithFakeFal } from './support/keyed-app';

const running = useKeyedAppWithFakeFal();

for (const scheme of ['light', 'dark'] as const) {
  test(`(${scheme}) a small photo waits for the user's word before a paid generator gets it`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(running.app.appUrl);
    await expect(page.getByTestId('model-select')).toHaveValue('tripo3d/tripo/v2.5/image-to-3d');
    await dropFiles(page, page.getByTestId('drop-zone'), [
      { name: 'stamp.png', mime: 'image/png', bytes: await makeTestPng(200, 150, { alpha: true, seed: 31 }) },
      { name: 'poster.png', mime: 'image/png', bytes: await makeTestPng(800, 800, { alpha: true, seed: 32 }) },
    ]);
    const notice = page.getByTestId('intake-notice');
    await expect(notice).toContainText('1 image added');
    await expect(notice).toContainText('1 not sent yet');
    const held = notice.getByTestId('intake-held');
    await expect(held).toContainText('Nothing was charged for it.');
    await expect(held.getByTestId('intake-held-item')).toHaveText('stamp.png is only 200 x 150 px; results are better from images at least 512 px on each side.');
    await expect(page.getByTestId('job-row')).toHaveCount(1);
    await expect(page.getByTestId('job-row').filter({ hasText: 'poster.png' })).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    expect(running.fake.submissions).toHaveLength(1);
    await held.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // colour transitions (screenshot only)
    await page.screenshot({ path: test.info().outputPath(`hold-before-paying-${scheme}.png`) });

    // "Send anyway" (the price on it) sends exactly that photo, once.
    const send = held.getByRole('button', { name: /^Send anyway \(≈ \$\d+\.\d\d\)$/ });
    await send.click();
    await expect(page.getByTestId('job-row').filter({ hasText: 'stamp.png' })).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await expect(notice.getByTestId('intake-held')).toHaveCount(0);
    await expect(notice.getByTestId('intake-warning')).toContainText('stamp.png is only 200 x 150 px');
    expect(running.fake.submissions).toHaveLength(2);
  });
}

test('"Leave out" sends nothing for the held photo', async ({ page }) => {
  await page.goto(running.app.appUrl);
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'icon.png', mime: 'image/png', bytes: await makeTestPng(128, 128, { alpha: true, seed: 33 }) }]);
  const held = page.getByTestId('intake-held');
  await expect(held).toContainText('icon.png is only 128 x 128 px');
  await held.getByRole('button', { name: 'Leave out' }).click();
  await expect(held).toHaveCount(0);
  await expect(page.getByTestId('job-row')).toHaveCount(0);
  expect(running.fake.submissions).toHaveLength(0);
  expect(running.fake.uploads()).toHaveLength(0);
});
