// A generator chosen in the Create view is the one an image added the next moment is made with, even
// while the app has not answered the choice yet (settings:set): the window shows the choice at once.
// Before, the image went to the generator shown before the choice (here the free offline one).
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { launchWebApp, type RunningWebApp } from './support/web-app';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';

let app: RunningWebApp;
test.beforeEach(async () => {
  app = await launchWebApp();
});
test.afterEach(async () => app?.stop());

test('an image added right after choosing a generator is made with that generator', async ({ page }) => {
  // The app answers the choice late (a busy machine): its message waits 1.5 s on the way.
  await page.routeWebSocket(/\/bridge/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (String(message).includes('settings:set')) setTimeout(() => server.send(message), 1500);
      else server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  await page.goto(app.appUrl);
  const chooser = page.getByTestId('model-select');
  await expect(chooser).toHaveValue('offline/relief'); // no key: the offline generator
  await chooser.selectOption(TRIPO);
  await page.getByTestId('file-input').setInputFiles([{ name: 'chair.png', mimeType: 'image/png', buffer: await makeTestPng(640, 640, { alpha: true, seed: 77 }) }]);
  const row = page.getByTestId('job-row');
  await expect(row).toContainText('Tripo v2.5');
  // No key: a Tripo job waits for one (a Relief job would have run).
  await expect(row).toHaveAttribute('data-state', 'queued');
  // Once the app has answered, the choice stays.
  await page.waitForTimeout(2000);
  await expect(chooser).toHaveValue(TRIPO);
});
