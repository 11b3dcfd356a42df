// A job given up while FAL's queue answered its status with 5xx is "may be charged" (040c98c): whether
// FAL ran it is unknown. Without a billing key it stayed so for its whole month, though FAL's request
// history, which the ordinary key reads, shows how the request ended: a run that finished was charged, one
// that ended in a server error was not (FAL never charges a 5xx). The app's spend read now settles it from
// there, and Settings > Spending, the spending cap and Stats agree. Real engine, real @fal-ai/client, fake FAL.
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { createFalPlatform, type FalPlatform } from '../../../src/core/fal-platform';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { historyVerdict } from '../../../src/core/spend/history-settle';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { createStatsReader } from '../../../src/core/stats';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { JobOutcome } from '../../fake-fal/types';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../engine/harness';

let h: Harness | undefined;
let platform: FalPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  await h?.close();
  h = platform = undefined;
});

/** Settings > Spending (month, "May be charged", the cap) and Stats, as each reads the library. */
function views(dataDir: string, capUsd: number) {
  const db = openDatabase(dataDir);
  try {
    const tracker = createSpendTracker({ db, billing: () => null });
    const summary = tracker.summary(capUsd);
    const stats = createStatsReader(db).report().models.reduce((sum, m) => sum + m.estimatedUsd + m.realUsd, 0);
    const costs = db.prepare('SELECT source, usd FROM real_costs').all();
    return { month: summary.monthUsd, possible: summary.possibleUsd, capReached: summary.capReached, stats, costs };
  } finally {
    db.close();
  }
}

it.each([
  ['finished it: charged, its estimate is spent everywhere', undefined, true],
  ['ended its run in a server error (500): not charged anywhere', { kind: 'failedRun', status: 500 } as JobOutcome, false],
])('a job given up on 502s whose request FAL %s', async (_how, outcome, charged) => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { processingMs: 200 } });
  if (outcome) h.fake.script({ op: 'submit', outcome });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('failed', 'succeeded', 'needs_attention', 'canceled'));
  await h.engine.waitForIdle();
  await h.fake.waitFor(job.falRequestId!, 'COMPLETED');
  expect(job).toMatchObject({ state: 'failed', errorCode: 'server_error' });
  const usd = job.estimatedCostUsd!;
  expect(usd).toBeGreaterThan(0);

  // Before: a possible charge, counted against the cap, spent nowhere.
  expect(views(h.dataDir, usd)).toEqual({ month: 0, possible: expect.closeTo(usd, 6), capReached: true, stats: 0, costs: [] });

  // The app's spend read (no billing key): FAL's request history settles it.
  const keys = createMemoryKeyVault({});
  keys.set(TEST_KEY);
  platform = createFalPlatform({
    dataDir: h.dataDir,
    keys,
    billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
    settings: () => ({ ...DEFAULT_SETTINGS, falProxyUrl: h!.fake.url }),
    logger: { info: () => undefined, warn: () => undefined },
    wake: () => undefined,
  });
  await platform.syncSpend();

  expect(views(h.dataDir, usd)).toEqual(
    charged
      ? { month: expect.closeTo(usd, 6), possible: 0, capReached: true, stats: expect.closeTo(usd, 6), costs: [{ source: 'request_history', usd: null }] }
      : { month: 0, possible: 0, capReached: false, stats: 0, costs: [{ source: 'request_history', usd: 0 }] },
  );
  // Its cost as the job shows it: "not charged (FAL history)" when it was not; a charged one keeps its estimate.
  expect(platform.spend.jobCosts([id])).toEqual(charged ? [] : [{ jobId: id, usd: 0, source: 'request_history' }]);
}, 30_000);

it('a request FAL still runs, or one its history does not list, stays "may be charged"', async () => {
  h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { holdJobs: true } });
  h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: Infinity });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('failed'));
  await h.engine.waitForIdle();
  const usd = job.estimatedCostUsd!;
  const keys = createMemoryKeyVault({});
  keys.set(TEST_KEY);
  // A request not settled is asked again after a wait (history-settle-schedule.test.ts): the clock moves on.
  const clock = { at: Date.now() };
  platform = createFalPlatform({
    dataDir: h.dataDir,
    keys,
    billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
    settings: () => ({ ...DEFAULT_SETTINGS, falProxyUrl: h!.fake.url }),
    logger: { info: () => undefined, warn: () => undefined },
    wake: () => undefined,
    now: () => clock.at,
  });
  // Still running at FAL (listed, no status code yet).
  await platform.syncSpend();
  expect(views(h.dataDir, usd * 2)).toMatchObject({ month: 0, possible: expect.closeTo(usd, 6), stats: 0, costs: [] });
  // Not listed at all (FAL's listing delay): nothing proven either.
  h.fake.setPlatform({ listingDelayMs: 3_600_000 });
  h.fake.completeNow(job.falRequestId!);
  clock.at += 3_600_000;
  await platform.syncSpend();
  expect(views(h.dataDir, usd * 2)).toMatchObject({ month: 0, possible: expect.closeTo(usd, 6), stats: 0, costs: [] });
  // Listed, finished: settled.
  h.fake.setPlatform({ listingDelayMs: 0 });
  clock.at += 3_600_000;
  await platform.syncSpend();
  expect(views(h.dataDir, usd * 2)).toMatchObject({ month: expect.closeTo(usd, 6), possible: 0, stats: expect.closeTo(usd, 6) });
}, 30_000);

it('what a history row proves: finished - charged; a server error or never started - not; the rest nothing', () => {
  const row = (status_code: number | null, started_at: string | null) => ({ request_id: 'r', endpoint_id: 'fal-ai/trellis', sent_at: '2026-12-01T00:00:00Z', started_at, ended_at: null, status_code, duration: null });
  const began = '2026-12-01T00:00:05Z';
  expect(historyVerdict(row(200, began))).toBe('charged');
  expect(historyVerdict(row(500, began))).toBe('not_charged');
  expect(historyVerdict(row(503, null))).toBe('not_charged');
  expect(historyVerdict(row(400, null))).toBe('not_charged'); // cancelled in the queue: it never ran
  expect(historyVerdict(row(422, began))).toBe(null); // may have used GPU time: only billing records tell
  expect(historyVerdict(row(null, began))).toBe(null); // still running
  expect(historyVerdict(row(null, null))).toBe(null); // still queued
});

it.each([
  ['a runner_server_error (500): not charged anywhere', 500 as const, false],
  ['a 422 after it began (GPU time may be charged): still "may be charged"', 422 as const, null],
])('a run FAL ended with %s', async (_how, status, charged) => {
  h = await createHarness({ engine: { maxAttempts: 2 }, fake: { processingMs: 200 } });
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('failed', 'succeeded', 'needs_attention', 'canceled'));
  await h.engine.waitForIdle();
  expect(job).toMatchObject({ state: 'failed', errorCode: 'run_failed' }); // FAL's result answer is the error
  const usd = job.estimatedCostUsd!;
  expect(views(h.dataDir, usd)).toEqual({ month: 0, possible: expect.closeTo(usd, 6), capReached: true, stats: 0, costs: [] });

  const keys = createMemoryKeyVault({});
  keys.set(TEST_KEY);
  platform = createFalPlatform({
    dataDir: h.dataDir,
    keys,
    billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
    settings: () => ({ ...DEFAULT_SETTINGS, falProxyUrl: h!.fake.url }),
    logger: { info: () => undefined, warn: () => undefined },
    wake: () => undefined,
  });
  await platform.syncSpend();
  expect(views(h.dataDir, usd)).toEqual(
    charged === false
      ? { month: 0, possible: 0, capReached: false, stats: 0, costs: [{ source: 'request_history', usd: 0 }] }
      : { month: 0, possible: expect.closeTo(usd, 6), capReached: true, stats: 0, costs: [] },
  );
}, 30_000);
