// Attack: a photo held before paying (too small for a paid generator) waits for "Send anyway" or "Leave
// out" in the notice under the drop zone - the only place it is named. The next drop replaced that
// notice, so the held photo vanished unanswered and was never made (with two drops at once the user
// never saw it). The notice now keeps what earlier drops still hold, each sent with its own drop's
// generator when the user says so.
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { dropFiles } from './support/page-helpers';
import { useKeyedAppWithFakeFal } from './support/keyed-app';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const TRELLIS = 'fal-ai/trellis';
const running = useKeyedAppWithFakeFal();

test('a held photo stays in the notice after the next drop, and Send anyway sends it with its own generator', async ({ page }) => {
  await page.goto(running.app.appUrl);
  await expect(page.getByTestId('model-select')).toHaveValue(TRIPO);
  const zone = page.getByTestId('drop-zone');
  await dropFiles(page, zone, [{ name: 'stamp.png', mime: 'image/png', bytes: await makeTestPng(200, 150, { alpha: true, seed: 41 }) }]);
  const notice = page.getByTestId('intake-notice');
  await expect(notice.getByTestId('intake-held-item')).toContainText('stamp.png is only 200 x 150 px');

  // Another drop, for another generator, before answering.
  await page.getByTestId('model-select').selectOption(TRELLIS);
  await dropFiles(page, zone, [{ name: 'poster.png', mime: 'image/png', bytes: await makeTestPng(800, 800, { alpha: true, seed: 42 }) }]);
  await expect(notice).toContainText('1 image added');
  await expect(notice.getByTestId('intake-held-item')).toContainText('stamp.png is only 200 x 150 px');
  await expect(page.getByTestId('job-row').filter({ hasText: 'poster.png' })).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });

  await notice.getByRole('button', { name: /^Send anyway/ }).click();
  await expect(page.getByTestId('job-row').filter({ hasText: 'stamp.png' })).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(notice.getByTestId('intake-held')).toHaveCount(0);
  expect(running.fake.submissions.map((submission) => submission.endpointId)).toEqual([TRELLIS, TRIPO]);
});

// The same photo held by two drops (dropped again before answering) is one job when sent: sending the
// second copy joins the first's job. "Send anyway" showed twice the price (two held images), and the
// notice listed the photo twice; it is listed and priced once, the price of the one job FAL charges.
test('the same photo held by two drops is listed and priced once, and sent as one job', async ({ page }) => {
  await page.goto(running.app.appUrl);
  await expect(page.getByTestId('model-select')).toHaveValue(TRIPO);
  const zone = page.getByTestId('drop-zone');
  const stamp = { name: 'stamp.png', mime: 'image/png', bytes: await makeTestPng(200, 150, { alpha: true, seed: 43 }) };
  const notice = page.getByTestId('intake-notice');
  await dropFiles(page, zone, [stamp]);
  await expect(notice.getByTestId('intake-held-item')).toHaveCount(1);
  const send = notice.getByRole('button', { name: /^Send anyway/ });
  const onePrice = (await send.textContent()) ?? '';
  expect(onePrice).toMatch(/^Send anyway \(≈ \$\d+\.\d\d\)$/);

  // Again, with a photo that goes at once: its "1 image added" says the second drop's answer is in.
  await dropFiles(page, zone, [stamp, { name: 'poster.png', mime: 'image/png', bytes: await makeTestPng(800, 800, { alpha: true, seed: 44 }) }]);
  await expect(notice).toContainText('1 image added');
  await expect(notice).toContainText('1 not sent yet');
  await expect(notice.getByTestId('intake-held-item')).toHaveCount(1);
  await expect(send).toHaveText(onePrice);

  await send.click();
  await expect(page.getByTestId('job-row')).toHaveCount(2);
  await expect(page.getByTestId('job-row').filter({ hasText: 'stamp.png' })).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(notice.getByTestId('intake-held')).toHaveCount(0);
  expect(running.fake.submissions).toHaveLength(2); // poster.png, and stamp.png once
});
