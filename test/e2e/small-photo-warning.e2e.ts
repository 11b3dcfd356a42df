// A photo too small for a good model (under 512 px on a side) was said only in the job's "waiting"
// line, which a job that starts at once (the offline generator, a free slot) never shows: the user
// learnt nothing, before or after paying. The drop's notice now says it, naming the photo, and keeps
// saying it after the job has run. A large photo scaled down to the upload size is not a problem and
// is not listed. Light and dark screenshots.
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { dropFiles } from './support/page-helpers';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  app = await launchWebApp();
});
test.afterAll(async () => {
  await app?.stop();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`(${scheme}) the drop's notice says which photo is too small for a good model`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto(app.appUrl);
    await page.getByTestId('model-select').selectOption('offline/relief');
    await expect(page.getByTestId('model-select')).toHaveValue('offline/relief');
    const small = `stamp-${scheme}.png`;
    const large = `poster-${scheme}.png`;
    await dropFiles(page, page.getByTestId('drop-zone'), [
      { name: small, mime: 'image/png', bytes: await makeTestPng(200, 150, { alpha: true, seed: scheme === 'light' ? 3 : 4 }) },
      { name: large, mime: 'image/png', bytes: await makeTestPng(2600, 900, { alpha: true, seed: scheme === 'light' ? 5 : 6 }) },
    ]);
    const notice = page.getByTestId('intake-notice');
    await expect(notice).toContainText('2 images added');
    // Both jobs ran (the offline generator starts at once): the waiting line that held the warning is gone.
    for (const name of [small, large]) {
      await expect(page.getByTestId('job-row').filter({ hasText: name })).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
    }
    const warnings = notice.getByTestId('intake-warning');
    await expect(warnings).toHaveCount(1);
    await expect(warnings).toHaveText(`${small} is only 200 x 150 px; results are better from images at least 512 px on each side.`);
    await expect(notice).not.toContainText(large);
    await notice.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // colour transitions (screenshot only)
    await page.screenshot({ path: test.info().outputPath(`small-photo-warning-${scheme}.png`) });
  });
}
