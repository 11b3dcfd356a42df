// A paid result stays reachable: a cancel that came after FAL finished and could not keep the model
// ends with a free Download again (a canceled job never comes back), unless the model itself was
// refused. Whatever the engine ends a job with, the shared rule the queue UI uses (canDownloadAgain)
// agrees with what jobs:retry { mode: 'download' } accepts.
import { afterEach, expect, it } from 'vitest';
import type { Job } from '../../../src/shared/domain';
import { canDownloadAgain } from '../../../src/shared/job-retry';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ended = inState('succeeded', 'failed', 'needs_attention', 'canceled');

/** Cancels a job while its result is being fetched from a FAL that has finished it (ALREADY_COMPLETED). */
async function cancelAfterFalFinished(harness: Harness): Promise<{ id: string; requestId: string; job: Job }> {
  const id = await addOne(harness.engine);
  const downloading = await waitForJob(harness.engine, id, inState('downloading'));
  await harness.fake.waitFor(downloading.falRequestId!, 'COMPLETED');
  void harness.engine.cancel(id);
  const job = await waitForJob(harness.engine, id, ended);
  return { id, requestId: downloading.falRequestId!, job };
}

/** What the engine does with Download again for this job: accepts it or refuses it (conflict). */
async function downloadAgainAccepted(id: string): Promise<boolean> {
  return h!.engine.retry(id, { mode: 'download' }).then(
    () => true,
    (error: unknown) => {
      expect(error).toMatchObject({ code: 'conflict' });
      return false;
    },
  );
}

it('a cancel after FAL finished whose result could not be fetched ends with a free Download again that gets the model', async () => {
  h = await createHarness();
  // The job's own result GET stalls (the cancel lands during it); the kept result's GET meets a gateway 503.
  h.fake.script({ op: 'result', fault: { kind: 'hang' } }, { op: 'result', fault: { kind: 'infra', status: 503 } });
  const { id, requestId, job } = await cancelAfterFalFinished(h);

  // Not "canceled" with a possibly paid result out of reach: failed, its request id kept, and it says so.
  expect(job).toMatchObject({ state: 'failed', errorCode: 'result_unread', falRequestId: requestId, requestFinished: false });
  expect(job.errorMessage).toMatch(/^Canceled after FAL had ended it, but its result could not be read: .*HTTP 503.*may be charged.*Use Download again \(free\)/);
  expect(canDownloadAgain(job)).toBe(true);

  expect(await downloadAgainAccepted(id)).toBe(true);
  const done = await waitForJob(h.engine, id, ended);
  expect(done.state).toBe('succeeded');
  expect(h.engine.library.get(done.modelId!)).not.toBeNull();
  expect(h.fake.submissions).toHaveLength(1);
}, 30_000);

it('a cancel after FAL finished whose model download kept failing ends with Download again, said once', async () => {
  // Downloads are retried for 1.5 s, well within the 5 s a cancel keeps the result.
  h = await createHarness();
  h.fake.script({ op: 'result', fault: { kind: 'hang' } }, { op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const { job } = await cancelAfterFalFinished(h);

  expect(job).toMatchObject({ state: 'failed', errorCode: 'result_download_failed', requestFinished: false });
  expect(job.errorMessage).toMatch(/^Canceled after FAL had already made it.*downloading it kept failing/);
  expect(job.errorMessage!.match(/Download again/g)).toHaveLength(1);
}, 30_000);

it('a cancel after FAL finished whose model is not a GLB stays canceled: downloading the same file again cannot help', async () => {
  h = await createHarness();
  h.fake.script({ op: 'result', fault: { kind: 'hang' } }, { op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'notGlb' } });
  const { id, job } = await cancelAfterFalFinished(h);

  expect(job.state).toBe('canceled');
  expect(job.message).toMatch(/^Canceled after FAL had already made it \(and charged for it\), but its model could not be kept.*not a usable GLB model/);
  expect(canDownloadAgain(job)).toBe(false);
  await expect(h.engine.retry(id, { mode: 'download' })).rejects.toMatchObject({ code: 'conflict' });
}, 30_000);

it('the queue UI rule and the engine agree on which failed jobs FAL still holds a result for', async () => {
  h = await createHarness();
  // FAL's run fails: nothing to fetch, only Generate again (paid).
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun' } });
  const runFailed = await waitForJob(h.engine, await addOne(h.engine), ended);
  // FAL made a model our GLB check refuses: the same file would come again.
  h.fake.script({ op: 'submit', outcome: { kind: 'notGlb' } });
  const notGlb = await waitForJob(h.engine, await addOne(h.engine), ended);
  // The download kept failing: FAL still has the model.
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const downloadFailed = await waitForJob(h.engine, await addOne(h.engine), ended);
  h.fake.clearScript();

  expect([runFailed, notGlb, downloadFailed].map((job) => [job.state, job.errorCode])).toEqual([
    ['failed', 'run_failed'],
    ['failed', 'invalid_result'],
    ['failed', 'result_download_failed'],
  ]);
  const offered = [runFailed, notGlb, downloadFailed].map((job) => canDownloadAgain(job));
  expect(offered).toEqual([false, false, true]);
  const accepted = [];
  for (const job of [runFailed, notGlb, downloadFailed]) accepted.push(await downloadAgainAccepted(job.id));
  expect(accepted).toEqual(offered);
}, 45_000);
