// A paid result FAL still holds offers a free "Download again" (whatever ended the job: a download
// that kept failing, a model this computer could not store, a cancel after FAL finished, a submit it
// could not record) next to a paid "Generate again" that asks first; light and dark screenshots of
// both (from a scripted window.api).
import { expect, test, type Page } from '@playwright/test';
import type { Job } from '../../src/shared/domain';
import { defaultScenario, mockJob, openMockApp } from './support/mock-app';

const NOW = Date.now();
/** A failed job that ran ten minutes ago. */
const job = (id: string, patch: Partial<Job>): Job =>
  mockJob(id, { state: 'failed', createdAt: NOW - 600_000, startedAt: NOW - 500_000, finishedAt: NOW - 400_000, ...patch });

const jobs: Job[] = [
  job('ceramic-vase', {
    errorCode: 'result_download_failed',
    errorMessage:
      'The model was made (and paid for), but downloading it kept failing: HTTP 403 from the download server. Use Download again (free) later; FAL keeps results for a while.',
    falRequestId: 'req-vase',
  }),
  // FAL made the model; storing it failed on this computer. Fetching it again is still free.
  job('clay-teapot', {
    errorCode: 'internal',
    errorMessage: 'Something went wrong on this computer: ENOSPC: no space left on device, write.',
    falRequestId: 'req-teapot',
  }),
  // Canceled after FAL finished, and keeping the model failed: the paid result stays reachable.
  job('brass-key', {
    errorCode: 'result_download_failed',
    errorMessage:
      'Canceled after FAL had already made it (and charged for it), but keeping the model failed: FAL had a server problem (HTTP 503). Use Download again (free) to fetch it.',
    falRequestId: 'req-key',
  }),
  // FAL accepted it but this computer could not record it: picking it up is free.
  job('oak-chair', {
    state: 'needs_attention',
    errorCode: 'submit_unrecorded',
    errorMessage: 'FAL accepted this job (request req-chair), but this computer could not record it: database is locked. Use Download again (free) to pick it up.',
    falRequestId: 'req-chair',
  }),
  job('desk-lamp', { state: 'canceled', falRequestId: 'req-lamp', errorMessage: null }),
  // FAL is done with these requests: only a paid Generate again can help.
  job('garden-gnome', { errorCode: 'run_failed', errorMessage: 'The model could not make a shape from this photo.', falRequestId: 'req-gnome', requestFinished: true }),
  job('stone-bust', {
    errorCode: 'invalid_result',
    errorMessage: 'The generated file is not a usable GLB model: it does not start with the GLB header.',
    falRequestId: 'req-bust',
    requestFinished: true,
  }),
];

/** The jobs whose row offers Download again, by id. */
const offeringDownload = (page: Page) =>
  page.locator('[data-testid="job-row"]', { has: page.getByRole('button', { name: 'Download again' }) }).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id')));

const calls = (page: Page) =>
  page.evaluate(() => (window as unknown as { __mock: { calls: { channel: string; input: unknown }[] } }).__mock.calls.filter((c) => c.channel === 'jobs:retry'));

async function shot(page: Page, name: string, what: 'page' | 'queue' = 'page') {
  const path = test.info().outputPath(`${name}.png`);
  // The queue scrolls inside the window: its own shot shows every row.
  if (what === 'queue') await page.getByTestId('queue').screenshot({ path });
  else await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: Download again is free and offered wherever FAL still holds the result; Generate again asks first`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    // Tall enough for the whole queue in one shot.
    await page.setViewportSize({ width: 1280, height: 1500 });
    await openMockApp(page, defaultScenario({ jobs }));
    // The first page of a run can take a while on a loaded machine.
    await expect(page.getByTestId('job-row')).toHaveCount(jobs.length, { timeout: 30_000 });
    const vase = page.locator('[data-job-id="ceramic-vase"]');
    await expect(vase).toContainText('Use Download again (free) later');
    // Offered wherever FAL still holds the paid result (the engine's rule), not only after a failed download.
    await expect.poll(() => offeringDownload(page)).toEqual(['ceramic-vase', 'clay-teapot', 'brass-key', 'oak-chair']);
    await expect(page.locator('[data-job-id="brass-key"]')).toContainText('Use Download again (free) to fetch it');
    await expect(vase.getByRole('button', { name: 'Generate ceramic-vase.jpg again' })).toBeVisible();
    // desk-lamp was canceled: the core never brings a canceled job back, so no retry is offered.
    await expect(page.locator('[data-job-id="desk-lamp"]').getByRole('button', { name: /again$/ })).toHaveCount(0);
    await shot(page, `download-again-queue-${scheme}`, 'queue');

    await page.locator('[data-job-id="garden-gnome"]').getByRole('button', { name: 'Generate garden-gnome.jpg again' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('charged again');
    await shot(page, `generate-again-confirm-${scheme}`);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    // Asked (unconfirmed), then nothing: the dialog was closed.
    expect(await calls(page)).toEqual([{ channel: 'jobs:retry', input: { id: 'garden-gnome', confirm: false, mode: 'generate' } }]);

    await vase.getByRole('button', { name: 'Download again' }).click();
    await expect(vase).toHaveAttribute('data-state', 'queued');
    expect((await calls(page)).at(-1)).toEqual({ channel: 'jobs:retry', input: { id: 'ceramic-vase', confirm: false, mode: 'download' } });
    // A job that needs attention picks its accepted request up for free, without the paid dialog.
    const chair = page.locator('[data-job-id="oak-chair"]');
    await chair.getByRole('button', { name: 'Download again' }).click();
    await expect(chair).toHaveAttribute('data-state', 'queued');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    expect((await calls(page)).at(-1)).toEqual({ channel: 'jobs:retry', input: { id: 'oak-chair', confirm: false, mode: 'download' } });
  });
}
