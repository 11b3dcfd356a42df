// Attack: two different photos of one name in one browser drop (photo.png from two folders), the small
// one held before paying. The page matched the core's answer back to its images by name, so "Send anyway"
// sent the first photo.png - the big one, already on its way, which only joined its own job - and the
// held photo was never made. The answer now says where each held image was in the call.
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { dropFiles } from './support/page-helpers';
import { useKeyedAppWithFakeFal } from './support/keyed-app';

const running = useKeyedAppWithFakeFal();

test('Send anyway sends the held photo.png, not the other photo.png of the same drop', async ({ page }) => {
  await page.goto(running.app.appUrl);
  await expect(page.getByTestId('model-select')).toHaveValue('tripo3d/tripo/v2.5/image-to-3d');
  await dropFiles(page, page.getByTestId('drop-zone'), [
    { name: 'photo.png', mime: 'image/png', bytes: await makeTestPng(800, 800, { alpha: true, seed: 51 }) },
    { name: 'photo.png', mime: 'image/png', bytes: await makeTestPng(200, 150, { alpha: true, seed: 52 }) },
  ]);
  const notice = page.getByTestId('intake-notice');
  await expect(notice.getByTestId('intake-held-item')).toContainText('photo.png is only 200 x 150 px');
  await expect(page.getByTestId('job-row')).toHaveCount(1);
  await expect(page.getByTestId('job-row').first()).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  expect(running.fake.submissions).toHaveLength(1);

  await notice.getByRole('button', { name: /^Send anyway/ }).click();
  await expect(notice.getByTestId('intake-held')).toHaveCount(0);
  await expect(page.getByTestId('job-row')).toHaveCount(2);
  await expect(page.getByTestId('job-row').nth(0)).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(page.getByTestId('job-row').nth(1)).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  expect(running.fake.submissions).toHaveLength(2);
  // What was sent anyway is the small photo (its warning now names its size).
  await expect(notice.getByTestId('intake-warning')).toContainText('photo.png is only 200 x 150 px');
});
