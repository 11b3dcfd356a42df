// The review dialog of a job whose submit answer was lost, with what "Check FAL's records now" found
// (mock app: its reconcile:run answers as the core does while FAL lists no request yet, and rewrites
// the job's message with what it found, as the core does).
// - What the check found is said once: in the result under the button. "What happened" keeps to the
//   cause (the job's message said the same finding again, with the time in UTC).
import { expect, test, type Page } from '@playwright/test';
import { defaultScenario, mockJob, moveMockJob, openMockApp } from './support/mock-app';


const moveJob = moveMockJob;

const lost = () =>
  mockJob('robot-toy', {
    state: 'needs_attention',
    errorCode: 'submit_uncertain',
    errorMessage:
      "The answer to this job's submit was lost. FAL lists no such request yet; the app keeps asking until 2026-12-03 15:10:00 UTC (FAL can take a few minutes to list a request). Nothing is sent twice meanwhile.",
    finishedAt: Date.now() - 60_000,
  });

async function themedShots(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.waitForTimeout(200); // colour transitions (screenshots only; no assertion depends on it)
    const path = test.info().outputPath(`${name}-${scheme}.png`);
    await page.screenshot({ path });
    await test.info().attach(`${name}-${scheme}`, { path, contentType: 'image/png' });
  }
}

test('what "Check FAL\'s records now" found is said once: "What happened" keeps to the cause', async ({ page }) => {
  await openMockApp(page, defaultScenario({ jobs: [lost()] }));
  await page.getByTestId('job-row').getByRole('button', { name: 'Review and retry…' }).click();
  const dialog = page.getByRole('dialog');
  const happened = dialog.locator('p', { hasText: 'What happened:' });
  // Before a check, the job's own message is all there is: it shows.
  await expect(happened).toContainText('FAL lists no such request yet');

  await dialog.getByRole('button', { name: "Check FAL's records now" }).click();
  const result = dialog.getByTestId('fal-records-result');
  await expect(result).toContainText('FAL lists no request for “robot-toy.jpg” yet');
  await expect(happened).toHaveText("What happened: The app sent this job to FAL but did not get its answer, so it could not tell whether FAL received it.");
  const said = (await dialog.innerText()).match(/lists no (such )?request/g) ?? [];
  expect(said).toHaveLength(1);
  await themedShots(page, 'review-checked-once');
});

// - What a check found stays only while the job is where the check left it, and says when FAL's
//   records said so. Once the job moves on (the app's own check found the request, then FAL failed it),
//   it is dropped: "FAL lists no request yet" under a job FAL is running, or one it failed, misled.
test('what a check found says when; it goes once the job moves on from where the check left it', async ({ page }) => {
  await openMockApp(page, defaultScenario({ jobs: [lost()] }));
  await page.getByTestId('job-row').getByRole('button', { name: 'Review and retry…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: "Check FAL's records now" }).click();
  const result = dialog.getByTestId('fal-records-result');
  await expect(result).toContainText('FAL lists no request for “robot-toy.jpg” yet');
  await expect(dialog.getByTestId('fal-records-checked-at')).toHaveText(/^FAL's records at \d{1,2}:\d{2}/);

  // The app's own check finds the request meanwhile: it follows it. Nothing is left to generate again.
  await moveJob(page, 'robot-toy', { state: 'running', falRequestId: 'req-robot-1', errorCode: null, errorMessage: null, finishedAt: null, progress: 20 });
  await expect(dialog.getByRole('heading')).toHaveText('“robot-toy.jpg”: Generating');
  await expect(dialog).not.toContainText('lists no request');
  await expect(dialog.getByTestId('fal-records-check')).toHaveCount(0);
  await expect(dialog).toContainText('Nothing to generate again: this job is “Generating” now.');
  await themedShots(page, 'review-settled-meanwhile');

  // Then FAL fails it: the dialog asks about generating again, with what happened now - and nothing of the old check.
  await moveJob(page, 'robot-toy', { state: 'failed', errorCode: 'fal_failed', errorMessage: 'FAL could not make a model from this photo.', finishedAt: Date.now(), requestFinished: true });
  await expect(dialog.getByRole('heading')).toHaveText('Generate “robot-toy.jpg” again?');
  await expect(dialog.locator('p', { hasText: 'What happened:' })).toHaveText('What happened: FAL could not make a model from this photo.');
  await expect(dialog).not.toContainText('lists no request');
  await expect(dialog).not.toContainText("FAL's records at");
  await themedShots(page, 'review-failed-meanwhile');
});
