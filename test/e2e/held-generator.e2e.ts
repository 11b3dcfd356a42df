// "Send anyway" for a photo held before paying goes with the generator and quality the drop was made
// with, and its price on the button is that generator's - also after the chooser was changed since (as
// "Make again anyway" does).
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { dropFiles } from './support/page-helpers';
import { useKeyedAppWithFakeFal } from './support/keyed-app';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const running = useKeyedAppWithFakeFal();

test('Send anyway keeps the drop’s generator and its price after the chooser changed', async ({ page }) => {
  await page.goto(running.app.appUrl);
  await expect(page.getByTestId('model-select')).toHaveValue(TRIPO);
  await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'stamp.png', mime: 'image/png', bytes: await makeTestPng(200, 150, { alpha: true, seed: 41 }) }]);
  const held = page.getByTestId('intake-held');
  const send = held.getByRole('button', { name: /^Send anyway/ });
  await expect(send).toHaveText(/^Send anyway \(≈ \$\d+\.\d\d\)$/);
  const tripoText = await send.textContent();
  await page.getByTestId('model-select').selectOption('fal-ai/hyper3d/rodin');
  await expect(page.getByTestId('model-select')).toHaveValue('fal-ai/hyper3d/rodin');
  await expect(send).toHaveText(tripoText!);
  await send.click();
  await expect(page.getByTestId('job-row').filter({ hasText: 'stamp.png' })).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  expect(running.fake.submissions.map((s) => s.endpointId)).toEqual([TRIPO]);
});
