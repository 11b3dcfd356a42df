// Two windows on one app (two tabs on the browser transport): a generator chosen in one is the one the
// other shows and makes jobs with. Before, the app never sent 'settings:changed', so the other window
// kept the generator it had loaded - here a photo dropped there after the user chose the free offline
// generator went to Tripo (paid, waiting for a key).
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const RELIEF = 'offline/relief';

let app: RunningWebApp;
test.beforeEach(async () => {
  app = await launchWebApp();
});
test.afterEach(async () => app?.stop());

test('a generator chosen in one window is the one the other window shows and uses', async ({ context }) => {
  const first = await context.newPage();
  await first.goto(app.appUrl);
  const firstChooser = first.getByTestId('model-select');
  await expect(firstChooser).toHaveValue(RELIEF); // no key: the offline generator
  await firstChooser.selectOption(TRIPO);

  const second = await context.newPage();
  await second.goto(app.appUrl);
  const secondChooser = second.getByTestId('model-select');
  await expect(secondChooser).toHaveValue(TRIPO);
  // The user's last choice: the free one, in the second window.
  await secondChooser.selectOption(RELIEF);

  await expect(firstChooser).toHaveValue(RELIEF);
  await first.getByTestId('file-input').setInputFiles([{ name: 'vase.png', mimeType: 'image/png', buffer: await makeTestPng(320, 320, { alpha: true, seed: 5 }) }]);
  const row = first.getByTestId('job-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Relief');
  await expect(row).not.toContainText('Tripo');
});
