// A photo already on its way joins that job instead of making a new, paid one. Every place that adds a
// photo says so (a sample said nothing, "Make with another generator" said "Queued"), and the intake
// notice follows the joined job's live state: once it finished or failed it is no longer "on its way".
import { expect, test, type Page } from '@playwright/test';
import type { Job } from '../../src/shared/domain';
import { SampleIdSchema, sampleJobName } from '../../src/shared/samples';
import { dropFiles } from './support/page-helpers';
import { defaultScenario, mockJob, moveMockJob, openMockApp } from './support/mock-app';

type Mock = { __mock: { state: { jobs: Job[] }; emit(event: string, payload: unknown): void } };

async function shot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

const moveJob = moveMockJob;

for (const scheme of ['light', 'dark'] as const) {
  test(`intake notice: a joined job that finishes or fails while the notice is open is no longer "on its way" (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const running = mockJob('ceramic-vase', { state: 'running', progress: 40, startedAt: Date.now() - 30_000 });
    await openMockApp(page, defaultScenario({ jobs: [running], queue: { status: 'running', message: null, running: 1, queued: 0, resumesAt: null } }));
    await dropFiles(page, page.getByTestId('drop-zone'), [{ name: 'ceramic-vase.jpg', mime: 'image/jpeg', bytes: Buffer.from('ffd8ffe0', 'hex') }]);
    const notice = page.getByTestId('intake-notice');
    const note = page.getByTestId('intake-joined');
    await expect(note).toHaveText('ceramic-vase.jpg is already on its way with these settings, so it joined that job: nothing new is charged.');
    await expect(notice).toContainText('1 already on its way');

    await moveJob(page, 'ceramic-vase', { state: 'succeeded', progress: 100, finishedAt: Date.now(), modelId: 'm00001' });
    await expect(note).toHaveText('ceramic-vase.jpg joined its earlier job with these settings, which has since finished: its model is in your library. Nothing new was charged.');
    await expect(notice).toContainText('1 joined an earlier job');
    await expect(notice).not.toContainText('on its way');
    await shot(page, `intake-joined-finished-${scheme}`);
    // "Make again anyway" asks with the job's state of now, too.
    await page.getByTestId('intake-joined-offer').getByRole('button', { name: 'Make again anyway' }).click();
    await expect(page.getByRole('dialog')).toContainText('The earlier job for ceramic-vase.jpg has since finished; its model is in your library.');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await moveJob(page, 'ceramic-vase', { state: 'failed', errorMessage: 'FAL could not make a model from this photo.' });
    await expect(note).toHaveText('ceramic-vase.jpg joined its earlier job with these settings, which has since failed: nothing new was charged. See that job in the queue.');
    await shot(page, `intake-joined-failed-${scheme}`);
  });
}

test('try a sample: a sample already on its way says it joined that job, as a drop does', async ({ page }) => {
  await openMockApp(page, defaultScenario());
  const sample = page.getByTestId('sample-button').first();
  await expect(sample).toBeVisible();
  const name = sampleJobName(SampleIdSchema.parse(await sample.getAttribute('data-sample')));
  // Another window (or the CLI) already sent this sample; its job has not reached this page yet.
  await page.evaluate(
    ({ name, job }) => {
      const mock = (window as unknown as Mock).__mock;
      mock.state.jobs.splice(0, mock.state.jobs.length, { ...job, inputName: name });
    },
    { name, job: mockJob('elsewhere', { state: 'running', progress: 30 }) },
  );
  await sample.click();
  await expect(page.getByRole('status').filter({ hasText: `${name} is already on its way with these settings, so it joined that job: nothing new is charged.` })).toBeVisible();
  await shot(page, 'sample-joined-light');
});
