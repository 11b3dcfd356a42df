// A job's events and the answer to the call that made it can cross: the app answers jobs:add once every
// image of the drop is in (a large one takes a while), while an offline job from the same drop may have
// run and finished already. The window showed that answer's 'queued' copy over the finished job - a
// row stuck at "queued, 1st in line" for good (the small-photo-warning e2e failed on it in CI). Here the
// answer is held on the way until the job's 'succeeded' event has passed it; the row must end done.
import { expect, test } from '@playwright/test';
import { makeTestPng } from '../fixtures/make-glb';
import { launchWebApp, type RunningWebApp } from './support/web-app';

let app: RunningWebApp;
test.beforeEach(async () => {
  app = await launchWebApp();
});
test.afterEach(async () => app?.stop());

test('a finished job stays finished when the answer that added it arrives after its events', async ({ page }) => {
  await page.routeWebSocket(/\/bridge/, (ws) => {
    const server = ws.connectToServer();
    const addCalls = new Set<number>();
    const held: string[] = [];
    ws.onMessage((message) => {
      const text = String(message);
      const call = JSON.parse(text) as { id: number; channel: string };
      if (call.channel === 'jobs:add') addCalls.add(call.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const text = String(message);
      const data = JSON.parse(text) as { type: string; id?: number; event?: string; payload?: { state?: string } };
      if (data.type === 'result' && data.id !== undefined && addCalls.has(data.id)) {
        held.push(text); // sent once the job has finished and shown so (below)
        return;
      }
      ws.send(text);
      // Later than the window shows the event (its next frame), as when the drop's other images take a while.
      if (data.event === 'job:changed' && data.payload?.state === 'succeeded') {
        setTimeout(() => {
          for (const answer of held.splice(0)) ws.send(answer);
        }, 500);
      }
    });
  });
  await page.goto(app.appUrl);
  await expect(page.getByTestId('model-select')).toHaveValue('offline/relief'); // no key: the offline generator runs at once
  await page.getByTestId('file-input').setInputFiles([{ name: 'mug.png', mimeType: 'image/png', buffer: await makeTestPng(640, 640, { alpha: true, seed: 91 }) }]);
  // The notice comes from the held answer, in the same render as the answer's jobs.
  await expect(page.getByTestId('intake-notice')).toContainText('1 image added', { timeout: 60_000 });
  await expect(page.getByTestId('job-row').filter({ hasText: 'mug.png' })).toHaveAttribute('data-state', 'succeeded');
});
