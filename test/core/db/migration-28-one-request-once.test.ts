// Migration 28 on a library written at schema 27: a request that ended twice (its model download failed,
// then a free Download again got the model) was counted as two requests in Stats - one failed, one
// succeeded - and, for pairs recorded before b955d39, with its cost on both. It is now one succeeded
// request with one cost, while Settings > Spending (which reads every outcome) tells the same as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/core/db/migrations';
import { DATABASE_FILE, openDatabase } from '../../../src/core/db/open';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { createStatsReader } from '../../../src/core/stats';
import { localDay } from '../../../src/core/stats/day';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const NOW = Date.now();
const AT = NOW - 60_000;

interface Outcome {
  status: 'succeeded' | 'failed';
  errorType: string | null;
  durationMs: number;
  estimate: number | null;
  real: number | null;
}

/** One request: its job, its spend estimate and each outcome recorded for it, oldest first. */
const OLD: { requestId: string; usd: number; outcomes: Outcome[] }[] = [
  { requestId: 'req-single', usd: 0.3, outcomes: [{ status: 'succeeded', errorType: null, durationMs: 20_000, estimate: 0.3, real: null }] },
  // Recorded before b955d39: the cost on both outcomes (and FAL's real cost on both).
  {
    requestId: 'req-old-pair',
    usd: 0.4,
    outcomes: [
      { status: 'failed', errorType: 'result_download_failed', durationMs: 20_000, estimate: 0.4, real: 0.35 },
      { status: 'succeeded', errorType: null, durationMs: 200_000, estimate: 0.4, real: 0.35 },
    ],
  },
  // Recorded since b955d39: the cost moved to the latest outcome.
  {
    requestId: 'req-new-pair',
    usd: 0.5,
    outcomes: [
      { status: 'failed', errorType: 'result_download_failed', durationMs: 20_000, estimate: null, real: null },
      { status: 'succeeded', errorType: null, durationMs: 200_000, estimate: 0.5, real: null },
    ],
  },
];

function buildSchema27Library(path: string): void {
  const old = new Database(path);
  expect(migrate(old, MIGRATIONS.slice(0, 27))).toBe(27);
  const outcome = old.prepare(
    `INSERT INTO fal_requests (job_id, endpoint, request_id, status, error_type, started_at, finished_at, duration_ms, day, estimated_cost_usd, real_cost_usd)
     VALUES (?, 'fal-ai/trellis', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of OLD) {
    const jobId = `job-${r.requestId}`;
    old.prepare(
      `INSERT INTO jobs (id, state, endpoint, provider, preset, input_name, input_path, input_sha256, input_mime, fal_request_id, max_attempts,
         created_at, finished_at, estimated_cost_usd)
       VALUES (?, 'succeeded', 'fal-ai/trellis', 'fal', 'standard', 'a.png', '/in/a.png', 'sha', 'image/png', ?, 3, ?, ?, ?)`,
    ).run(jobId, r.requestId, AT - 1000, AT + 1000, r.usd);
    old.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(jobId, AT, r.usd, r.requestId);
    for (const o of r.outcomes) {
      outcome.run(jobId, r.requestId, o.status, o.errorType, AT, AT + o.durationMs, o.durationMs, localDay(AT + o.durationMs), o.estimate, o.real);
    }
  }
  const real = OLD.find((r) => r.requestId === 'req-old-pair')!;
  old.prepare(`INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES (?, ?, 'fal-ai/trellis', ?, 1, 0.35, 'billing_event')`)
    .run(real.requestId, `job-${real.requestId}`, AT);
  old.close();
}

it('a schema-27 library: a request that ended twice counts once in Stats, by its latest outcome, with one cost', () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-migration-28-'));
  buildSchema27Library(join(dir, DATABASE_FILE));

  const db = openDatabase(dir);
  try {
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const [model] = createStatsReader(db).report().models;
    expect(model).toMatchObject({ requests: 3, succeeded: 3, failed: 0 });
    expect(model!.durationBuckets.reduce((a, b) => a + b, 0)).toBe(3);
    expect(model!.durationSumS).toBeCloseTo(20 + 200 + 200, 6);
    expect(createStatsReader(db).report().errors).toEqual([]);
    // One cost each: 0.3 and 0.5 estimated, FAL's 0.35 for the old pair.
    expect(model!.estimatedUsd).toBeCloseTo(0.3 + 0.5, 6);
    expect(model!.realUsd).toBeCloseTo(0.35, 6);
    const summary = createSpendTracker({ db, now: () => NOW, billing: () => null }).summary(null);
    expect(summary.monthUsd).toBeCloseTo(model!.estimatedUsd + model!.realUsd, 6);
    // The earlier outcomes are kept (the spend rule reads them), only out of the day sums.
    expect(db.prepare('SELECT request_id AS id, status, superseded FROM fal_requests ORDER BY fal_requests.id').all()).toEqual([
      { id: 'req-single', status: 'succeeded', superseded: 0 },
      { id: 'req-old-pair', status: 'failed', superseded: 1 },
      { id: 'req-old-pair', status: 'succeeded', superseded: 0 },
      { id: 'req-new-pair', status: 'failed', superseded: 1 },
      { id: 'req-new-pair', status: 'succeeded', superseded: 0 },
    ]);
    // Taking an outcome back later (a delete) does not take a superseded one out a second time.
    db.prepare("DELETE FROM fal_requests WHERE request_id = 'req-new-pair' AND superseded = 1").run();
    expect(createStatsReader(db).report().models[0]).toMatchObject({ requests: 3, succeeded: 3, failed: 0 });
  } finally {
    db.close();
  }
});
