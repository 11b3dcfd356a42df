// A paid result whose download failed offers a free "Download again" next to a paid "Generate
// again" that asks first; light and dark screenshots of both (from a scripted window.api).
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
  job('desk-lamp', { state: 'canceled', falRequestId: 'req-lamp', errorMessage: null }),
  job('garden-gnome', { errorCode: 'run_failed', errorMessage: 'The model could not make a shape from this photo.', falRequestId: 'req-gnome' }),
];

const calls = (page: Page) =>
  page.evaluate(() => (window as unknown as { __mock: { calls: { channel: string; input: unknown }[] } }).__mock.calls.filter((c) => c.channel === 'jobs:retry'));

async function shot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`${scheme}: Download again is free and only where the model was made; Generate again asks first`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await openMockApp(page, defaultScenario({ jobs }));
    // The first page of a run can take a while on a loaded machine.
    await expect(page.getByTestId('job-row')).toHaveCount(jobs.length, { timeout: 30_000 });
    const vase = page.locator('[data-job-id="ceramic-vase"]');
    await expect(vase).toContainText('Use Download again (free) later');
    await expect(page.getByRole('button', { name: 'Download again' })).toHaveCount(1);
    await expect(vase.getByRole('button', { name: 'Generate ceramic-vase.jpg again' })).toBeVisible();
    // desk-lamp was canceled: the core never brings a canceled job back, so no retry is offered.
    await expect(page.locator('[data-job-id="desk-lamp"]').getByRole('button', { name: /again$/ })).toHaveCount(0);
    await shot(page, `download-again-queue-${scheme}`);

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
  });
}
