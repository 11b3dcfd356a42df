// When FAL's request history is asked about a possible charge. It was asked only at the spend read
// (every 5 minutes, with or without anything to settle): a job given up on stayed "may be charged" that
// long, and every read asked again about each request it could not settle - a request FAL's history can
// never settle (a 422 after its run began) or one FAL still runs, every 5 minutes for 89 days. Now a
// possible charge is asked about soon after the job ended, then ever more rarely, a bounded number of
// times; a settled one, or one whose record can never tell, is not asked again. A run the user canceled
// after FAL began it is settled the same way (it was never asked about). Real engine, real @fal-ai/client, fake FAL.
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { createFalPlatform, type FalPlatform } from '../../../src/core/fal-platform';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { MAX_LOOKUPS } from '../../../src/core/spend/history-settle';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, waitUntil, type Harness } from '../engine/harness';

let h: Harness | undefined;
let platform: FalPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  await h?.close();
  h = platform = undefined;
});

/** Settings > Spending's month and "May be charged", as the library holds them. */
function spending(dataDir: string): { month: number; possible: number } {
  const db = openDatabase(dataDir);
  try {
    const summary = createSpendTracker({ db, billing: () => null }).summary(null);
    return { month: summary.monthUsd, possible: summary.possibleUsd };
  } finally {
    db.close();
  }
}

/** The app's platform work (ordinary key, no billing key) on the harness's data folder, on a clock the test moves. */
function platformOn(harness: Harness, clock: { at: number } | null, pollMs?: number): FalPlatform {
  const keys = createMemoryKeyVault({});
  keys.set(TEST_KEY);
  return createFalPlatform({
    dataDir: harness.dataDir,
    keys,
    billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
    settings: () => ({ ...DEFAULT_SETTINGS, falProxyUrl: harness.fake.url }),
    logger: { info: () => undefined, warn: () => undefined },
    wake: () => undefined,
    ...(clock && { now: () => clock.at }),
    ...(pollMs !== undefined && { pollMs }),
    reconcile: { retryBaseMs: 1_000 },
  });
}

/** How often FAL's request history was asked about this request. */
const lookups = (harness: Harness, requestId: string) =>
  harness.fake.requestsFor('platform').filter((r) => r.targetUrl.includes('/requests/by-endpoint') && r.targetUrl.includes(requestId)).length;

it('a job given up on 502s is settled from FAL\'s history soon after it ended, not at the next spend read', async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { processingMs: 200 } });
  // Running before the job ends: its spend read at the start finds nothing; the next is 5 minutes away.
  platform = platformOn(h, null, 50);
  let spendReads = 0;
  platform.start(() => undefined, () => spendReads++);
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('failed'));
  expect(job.errorCode).toBe('server_error');
  const usd = job.estimatedCostUsd!;
  // FAL finished it: charged, its estimate spent - within the background check's few seconds.
  const settled = await waitUntil(() => spending(h!.dataDir), (s) => s.possible === 0, 10_000, (s) => `still a possible charge: ${JSON.stringify(s)}`);
  expect(settled).toEqual({ month: expect.closeTo(usd, 6), possible: 0 });
  // Every window is told the figures changed.
  expect(spendReads).toBeGreaterThan(0);
}, 40_000);

it('a request FAL\'s history can never settle (a 422 after its run began) is asked about once', async () => {
  h = await createHarness({ engine: { maxAttempts: 2 }, fake: { processingMs: 200 } });
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 422 } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('failed'));
  await h.engine.waitForIdle();
  const clock = { at: Date.now() };
  platform = platformOn(h, clock);
  for (let pass = 0; pass < 3; pass++) {
    await platform.syncSpend();
    clock.at += 3_600_000;
  }
  expect(lookups(h, job.falRequestId!)).toBe(1);
  expect(spending(h.dataDir).possible).toBeCloseTo(job.estimatedCostUsd!, 6); // still possible: only billing records tell
}, 30_000);

it('a request FAL still runs is asked about again only after a growing wait, a bounded number of times', async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { holdJobs: true } });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('failed'));
  await h.engine.waitForIdle();
  const requestId = job.falRequestId!;
  const clock = { at: Date.now() };
  platform = platformOn(h, clock);
  // Three reads at once: asked once (FAL lists it, still running).
  for (let pass = 0; pass < 3; pass++) await platform.syncSpend();
  expect(lookups(h, requestId)).toBe(1);
  // After the first wait (1 s here): asked again; then not before the doubled wait.
  clock.at += 1_000;
  await platform.syncSpend();
  await platform.syncSpend();
  expect(lookups(h, requestId)).toBe(2);
  // A month of reads an hour apart: the lookups end at the bound.
  for (let hour = 0; hour < 24 * 30; hour++) {
    clock.at += 3_600_000;
    await platform.syncSpend();
  }
  expect(lookups(h, requestId)).toBe(MAX_LOOKUPS);
  expect(spending(h.dataDir).possible).toBeCloseTo(job.estimatedCostUsd!, 6);
}, 60_000);

it('a settled request is not asked about again', async () => {
  h = await createHarness({ engine: { maxAttempts: 2 }, fake: { processingMs: 200 } });
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 500 } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('failed'));
  await h.engine.waitForIdle();
  const clock = { at: Date.now() };
  platform = platformOn(h, clock);
  await platform.syncSpend();
  expect(spending(h.dataDir)).toEqual({ month: 0, possible: 0 });
  for (let pass = 0; pass < 3; pass++) {
    clock.at += 3_600_000;
    await platform.syncSpend();
  }
  expect(lookups(h, job.falRequestId!)).toBe(1);
}, 30_000);

it.each([
  ['FAL finished it anyway: charged', false, { possible: 0, spent: true }],
  ['FAL stopped it (a 4xx after it began): still possible, asked no more', true, { possible: 1, spent: false }],
])('a run canceled after FAL began it is asked about: %s', async (_how, stops, expected) => {
  h = await createHarness({ fake: { holdJobs: true, cancelStopsRunning: stops } });
  const id = await addOne(h.engine);
  const running = await waitForJob(h.engine, id, inState('running'));
  const canceled = await h.engine.cancel(id);
  expect(canceled).toMatchObject({ state: 'canceled', message: expect.stringMatching(/may still charge for it/) });
  if (!stops) h.fake.completeNow(running.falRequestId!);
  await h.engine.waitForIdle();
  const usd = canceled.estimatedCostUsd!;
  expect(spending(h.dataDir)).toEqual({ month: 0, possible: expect.closeTo(usd, 6) });
  const clock = { at: Date.now() };
  platform = platformOn(h, clock);
  await platform.syncSpend();
  clock.at += 3_600_000;
  await platform.syncSpend();
  expect(spending(h.dataDir)).toEqual({ month: expected.spent ? expect.closeTo(usd, 6) : 0, possible: expected.possible * usd });
  expect(lookups(h, running.falRequestId!)).toBe(1);
}, 30_000);
