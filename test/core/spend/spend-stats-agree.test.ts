// The spend sidebar showed $1.22 and the Stats view $0.85 for the same library: the difference was the
// estimate of a job FAL failed with 422, spent in the one (every estimate recorded at submission) and not
// in the other (succeeded requests only). One rule now (spend/charge-rule.ts): the estimate of a request
// FAL failed or that was stopped is spent in neither; it is a possible charge (counted against the cap)
// until FAL's billing records say what it cost, and then that cost counts in both. A job that failed
// after FAL made its model (the download) was charged: its estimate is spent in both.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { createStatsReader, createStatsRecorder } from '../../../src/core/stats';
import { outcomeOfJob } from '../../../src/core/stats/job-outcomes';
import { newJob } from '../../support/new-job';

const NOW = new Date(2026, 11, 15, 12).getTime();
let db: Database.Database | undefined;
afterEach(() => db?.close());

/** FAL jobs that ended (state, error code, estimate), each with its spend row and its Stats outcome. */
function library(jobs: { state: 'succeeded' | 'failed' | 'canceled'; errorCode?: string; usd: number }[]): string[] {
  db = new Database(':memory:');
  migrate(db);
  const store = new JobStore(db);
  const recorder = createStatsRecorder(db);
  return jobs.map((spec, i) => {
    const [job] = store.insertMany([newJob({ inputSha256: `photo-${i}`, estimatedCostUsd: spec.usd })]);
    const requestId = `req-${i}`;
    const sent = NOW - 3600_000 + i * 60_000;
    db!.prepare('UPDATE jobs SET state = ?, error_code = ?, fal_request_id = ?, submitted_at = ?, submit_started_at = ?, finished_at = ? WHERE id = ?')
      .run(spec.state, spec.errorCode ?? null, requestId, sent, sent, sent + 30_000, job!.id);
    db!.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(job!.id, sent, spec.usd, requestId);
    recorder.recordRequestOutcome(outcomeOfJob(store.get(job!.id)!)!);
    return requestId;
  });
}

function views() {
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => null });
  const summary = tracker.summary(null);
  const report = createStatsReader(db!).report();
  const statsSpent = report.models.reduce((sum, m) => sum + m.estimatedUsd + m.realUsd, 0);
  return { sidebar: summary.monthUsd, today: summary.todayUsd, possible: summary.possibleUsd, stats: statsSpent };
}

it('a job FAL failed with 422 is spent in neither view, and a possible charge until FAL settles it', () => {
  const [, failed] = library([
    { state: 'succeeded', usd: 0.85 },
    { state: 'failed', errorCode: 'run_failed', usd: 0.37 }, // FAL's result answer: 422 (classify.ts)
  ]);
  const before = views();
  expect(before.sidebar).toBeCloseTo(0.85, 6);
  expect(before.stats).toBeCloseTo(before.sidebar, 6);
  expect(before.today).toBeCloseTo(0.85, 6);
  expect(before.possible).toBeCloseTo(0.37, 6);

  // FAL's records: no charge for it. Settled: in neither, and no longer possible.
  db!.prepare("INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES (?, NULL, NULL, ?, 0, 0, 'no_charge')").run(failed, NOW - 1000);
  expect(views()).toMatchObject({ sidebar: expect.closeTo(0.85, 6), stats: expect.closeTo(0.85, 6), possible: 0 });

  // FAL's records say it was charged after all (GPU time used): that cost counts in both.
  db!.prepare("UPDATE real_costs SET usd = 0.2, source = 'billing_event' WHERE request_id = ?").run(failed);
  expect(views()).toMatchObject({ sidebar: expect.closeTo(1.05, 6), stats: expect.closeTo(1.05, 6), possible: 0 });
});

it.each([
  ['refused its settings (422 on the status read)', 'invalid_input'],
  ['failed the run (5xx error result)', 'fal_error'],
])('a request FAL %s is not spent in either view', (_how, errorCode) => {
  library([{ state: 'succeeded', usd: 0.3 }, { state: 'failed', errorCode, usd: 0.4 }]);
  expect(views()).toMatchObject({ sidebar: expect.closeTo(0.3, 6), stats: expect.closeTo(0.3, 6), possible: expect.closeTo(0.4, 6) });
});

it.each([
  ['answered its status with 5xx until the job gave up', 'server_error'],
  ['could not be reached about it until the job gave up', 'connection_lost'],
  ['did not answer about it in time until the job gave up', 'timeout'],
])('a request FAL %s may or may not have run: a possible charge in both views, not spent', (_how, errorCode) => {
  library([{ state: 'succeeded', usd: 0.3 }, { state: 'failed', errorCode, usd: 0.4 }]);
  expect(views()).toMatchObject({ sidebar: expect.closeTo(0.3, 6), stats: expect.closeTo(0.3, 6), possible: expect.closeTo(0.4, 6) });
});

it('a job canceled after FAL made its model was charged: spent in both views; any other cancel is a possible charge', () => {
  library([
    { state: 'canceled', errorCode: 'canceled_after_finish', usd: 0.3 },
    { state: 'canceled', errorCode: 'server_error', usd: 0.4 }, // an earlier attempt's code, then stopped
  ]);
  expect(views()).toMatchObject({ sidebar: expect.closeTo(0.3, 6), stats: expect.closeTo(0.3, 6), possible: expect.closeTo(0.4, 6) });
});

it('a job that failed after FAL made its model (the download) was charged: spent in both views', () => {
  library([{ state: 'succeeded', usd: 0.3 }, { state: 'failed', errorCode: 'result_download_failed', usd: 0.4 }]);
  expect(views()).toMatchObject({ sidebar: expect.closeTo(0.7, 6), stats: expect.closeTo(0.7, 6), possible: 0 });
});

it('the spending cap still counts the possible charge (no cap reopened by a failed run)', () => {
  library([{ state: 'succeeded', usd: 0.85 }, { state: 'failed', errorCode: 'run_failed', usd: 0.37 }]);
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => null });
  expect(tracker.summary(1.2).capReached).toBe(true);
  expect(new JobStore(db!).spendBetween(0, NOW + 1) + new JobStore(db!).possibleCharges(0, NOW + 1).usd).toBeCloseTo(1.22, 6);
});
