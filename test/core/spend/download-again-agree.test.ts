// One FAL request that ended twice: its model download failed (result_download_failed: FAL made the
// model, so it charged it) and a later free Download again of the same request got the model. FAL
// charged it once; Settings > Spending counted it once, but Stats counted its estimate on both outcomes,
// and FAL's real cost, when its billing record came later, on both too. It also counted the request
// twice (one failed, one succeeded) in its request counts, success rate and error table.
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { createStatsReader } from '../../../src/core/stats';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ended = inState('succeeded', 'failed', 'needs_attention', 'canceled');

/** Settings > Spending (the month's spend) and Stats (`image2model stats`: spent and requests). */
function views(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    const summary = createSpendTracker({ db, billing: () => null }).summary(null);
    const report = createStatsReader(db).report();
    const stats = report.models.reduce((sum, m) => sum + m.estimatedUsd + m.realUsd, 0);
    const byDay = report.spendByDay.reduce((sum, d) => sum + d.estimatedUsd + d.realUsd, 0);
    return { month: summary.monthUsd, possible: summary.possibleUsd ?? 0, stats, byDay };
  } finally {
    db.close();
  }
}

/** Stats' request counts: per model, per day, in the duration histogram, and its errors by type. */
function requestCounts(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    const report = createStatsReader(db).report();
    const sum = (pick: (m: (typeof report.models)[number]) => number) => report.models.reduce((total, m) => total + pick(m), 0);
    return {
      requests: sum((m) => m.requests),
      succeeded: sum((m) => m.succeeded),
      failed: sum((m) => m.failed),
      byDay: report.spendByDay.reduce((total, d) => total + d.requests, 0),
      histogram: sum((m) => m.durationBuckets.reduce((a, b) => a + b, 0)),
      errors: report.errors,
    };
  } finally {
    db.close();
  }
}

it('a request whose download failed and whose Download again got the model is spent once in Settings and Stats', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended);
  await h.engine.waitForIdle();
  expect(failed).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
  const usd = failed.estimatedCostUsd!;
  expect(usd).toBeGreaterThan(0);
  const once = { month: expect.closeTo(usd, 6), possible: 0, stats: expect.closeTo(usd, 6), byDay: expect.closeTo(usd, 6) };
  expect(views(h.dataDir)).toEqual(once);

  h.fake.clearScript();
  await h.engine.retry(id, { mode: 'download' });
  const done = await waitForJob(h.engine, id, ended);
  await h.engine.waitForIdle();
  expect(done.state).toBe('succeeded');
  expect(h.fake.submissions).toHaveLength(1);
  expect(views(h.dataDir)).toEqual(once);
  // One request, counted once, as it ended: succeeded (not also failed), in every count Stats shows.
  expect(requestCounts(h.dataDir)).toEqual({ requests: 1, succeeded: 1, failed: 0, byDay: 1, histogram: 1, errors: [] });

  // FAL's billing record for the request arrives later (as a billing sync writes it).
  const db = openDatabase(h.dataDir);
  try {
    db.prepare(`INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES (?, ?, ?, ?, 1, 0.25, 'billing_event')`)
      .run(done.falRequestId, id, done.endpoint, Date.now());
  } finally {
    db.close();
  }
  expect(views(h.dataDir)).toEqual({ month: expect.closeTo(0.25, 6), possible: 0, stats: expect.closeTo(0.25, 6), byDay: expect.closeTo(0.25, 6) });
}, 30_000);
