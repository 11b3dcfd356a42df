// A job that may be charged, once FAL's request history settled it, kept saying "may be charged" - and
// Download again (a run that ended in a server error has nothing to fetch), and a Retry that asked to
// confirm being "charged again" for a request FAL never charged. Its message now says what FAL's records
// showed: finished - charged, Download again (free) fetches the model; a server error or never started -
// not charged, generating it again is charged once (no confirmation). Real engine, real @fal-ai/client, fake FAL.
import { afterEach, expect, it } from 'vitest';
import { createFalPlatform, type FalPlatform } from '../../../src/core/fal-platform';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { canDownloadAgain } from '../../../src/shared/job-retry';
import type { Job } from '../../../src/shared/domain';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, waitUntil, type Harness } from '../engine/harness';

let h: Harness | undefined;
let platform: FalPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  await h?.close();
  h = platform = undefined;
});

/** The app's platform work (ordinary key, no billing key) running in the background; the jobs it tells the windows about. */
function startPlatform(harness: Harness): Job[] {
  const keys = createMemoryKeyVault({});
  keys.set(TEST_KEY);
  platform = createFalPlatform({
    dataDir: harness.dataDir,
    keys,
    billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
    settings: () => ({ ...DEFAULT_SETTINGS, falProxyUrl: harness.fake.url }),
    logger: { info: () => undefined, warn: () => undefined },
    wake: () => undefined,
    pollMs: 50,
    reconcile: { retryBaseMs: 200 },
  });
  const told: Job[] = [];
  platform.start((job) => told.push(job));
  return told;
}

const RECORDS = String.raw`FAL's request history \(checked [^)]+\) shows`;

it('given up on 502s, FAL finished it: the job says it was charged, and Download again fetches the model', async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { processingMs: 200 } });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, inState('failed'));
  expect(failed.errorMessage).toMatch(/"may be charged"/);
  await h.fake.waitFor(failed.falRequestId!, 'COMPLETED');
  const told = startPlatform(h);
  const settled = await waitForJob(h.engine, id, (job) => !/may be charged/.test(job.errorMessage ?? ''), 10_000);
  expect(settled.errorMessage).toMatch(new RegExp(String.raw`^FAL had a server problem \(HTTP 502[^)]*\)\. Gave up after 2 attempts\. ${RECORDS} FAL finished it: it was charged\. Use Download again \(free\) to fetch its model\.$`));
  expect(settled.message).toBe(settled.errorMessage);
  expect(canDownloadAgain(settled)).toBe(true);
  await waitUntil(() => told, (jobs) => jobs.some((job) => job.id === id && job.errorMessage === settled.errorMessage), 5_000, () => 'no window was told');
  // FAL answers again: Download again (free) fetches the paid model, nothing sent twice.
  h.fake.clearScript();
  await h.engine.retry(id, { mode: 'download' });
  await waitForJob(h.engine, id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(1);
}, 40_000);

it('given up on 502s, FAL\'s run ended in a server error: not charged, no Download again, generating again needs no "charged again"', async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { processingMs: 200 } });
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 500 } });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, inState('failed'));
  await h.fake.waitFor(failed.falRequestId!, 'COMPLETED');
  startPlatform(h);
  const settled = await waitForJob(h.engine, id, (job) => !/may be charged/.test(job.errorMessage ?? ''), 10_000);
  expect(settled.errorMessage).toMatch(new RegExp(`${RECORDS} its run ended in a server error or never started: FAL did not charge it\\. Generating it again is charged once, not twice\\.$`));
  expect(canDownloadAgain(settled)).toBe(false);
  h.fake.clearScript();
  const again = await h.engine.retry(id, {}); // no confirmation asked: the first was not charged
  expect(again.state).toBe('queued');
  await waitForJob(h.engine, id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(2);
}, 40_000);

it('a run canceled after FAL began it, which FAL finished anyway: the job says it was charged', async () => {
  h = await createHarness({ fake: { holdJobs: true } });
  const id = await addOne(h.engine);
  const running = await waitForJob(h.engine, id, inState('running'));
  const canceled = await h.engine.cancel(id);
  expect(canceled.message).toBe('Canceled; FAL was asked to stop it. It had already started, so FAL may still charge for it.');
  h.fake.completeNow(running.falRequestId!);
  await h.engine.waitForIdle();
  startPlatform(h);
  const settled = await waitForJob(h.engine, id, (job) => !/may still charge/.test(job.message ?? ''), 10_000);
  expect(settled.message).toMatch(new RegExp(`^Canceled; FAL was asked to stop it\\. ${RECORDS} FAL finished it: it was charged\\.$`));
}, 40_000);
