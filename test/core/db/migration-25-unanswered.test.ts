// Migration 25 on a library written by the app before it (schema 24): a job that gave up asking FAL
// about its request (status 5xx, a cut connection) had its estimate recorded as spent in the Stats
// view's request history, while the spend totals now read it as a possible charge (charge-rule.ts).
// The migration takes those estimates out of the history, so Settings > Spending and `image2model stats`
// agree on the old rows too; a real cost FAL's records gave stays, and nothing else moves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/core/db/migrations';
import Database from 'better-sqlite3';
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

it('an old library: the estimates of requests given up on leave Stats, and both views tell the same', () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-migration-25-'));
  const old = new Database(join(dir, DATABASE_FILE));
  expect(migrate(old, MIGRATIONS.slice(0, 24))).toBe(24);
  // As the app before migration 25 recorded them: estimates at submission (spend), outcomes (fal_requests).
  const requests: [string, string, string | null, number, number | null][] = [
    ['req-ok', 'succeeded', null, 0.3, null],
    ['req-5xx', 'failed', 'server_error', 0.4, null], // recorded as spent then
    ['req-cut', 'failed', 'connection_lost', 0.5, null],
    ['req-5xx-settled', 'failed', 'server_error', 0.6, 0.25], // FAL's records since: $0.25
    ['req-run', 'failed', 'run_failed', 0.7, null], // a possible charge already: no estimate kept
  ];
  const at = NOW - 60_000;
  for (const [requestId, status, errorType, usd, real] of requests) {
    old.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(`job-${requestId}`, at, usd, requestId);
    old.prepare(
      `INSERT INTO fal_requests (job_id, endpoint, request_id, status, error_type, started_at, finished_at, duration_ms, day, estimated_cost_usd, real_cost_usd)
       VALUES (?, 'fal-ai/trellis', ?, ?, ?, ?, ?, 1000, ?, ?, ?)`,
    ).run(`job-${requestId}`, requestId, status, errorType, at, at + 1000, localDay(at + 1000), status === 'failed' && errorType === 'run_failed' ? null : usd, real);
    if (real !== null) old.prepare("INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES (?, ?, 'fal-ai/trellis', ?, 1, ?, 'billing_event')").run(requestId, `job-${requestId}`, at, real);
  }
  old.close();

  const db = openDatabase(dir);
  try {
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const summary = createSpendTracker({ db, now: () => NOW, billing: () => null }).summary(null);
    const report = createStatsReader(db).report();
    const stats = report.models.reduce((sum, m) => sum + m.estimatedUsd + m.realUsd, 0);
    // Spent: the succeeded estimate and the settled real cost. May be charged: the three unsettled ends.
    expect(summary.monthUsd).toBeCloseTo(0.55, 6);
    expect(stats).toBeCloseTo(summary.monthUsd, 6);
    expect(summary.possibleUsd).toBeCloseTo(0.4 + 0.5 + 0.7, 6);
    // The history keeps every request and its real cost; only the estimates given up on are gone.
    expect(db.prepare('SELECT request_id, estimated_cost_usd AS est, real_cost_usd AS real FROM fal_requests ORDER BY id').all()).toEqual([
      { request_id: 'req-ok', est: 0.3, real: null },
      { request_id: 'req-5xx', est: null, real: null },
      { request_id: 'req-cut', est: null, real: null },
      { request_id: 'req-5xx-settled', est: null, real: 0.25 },
      { request_id: 'req-run', est: null, real: null },
    ]);
  } finally {
    db.close();
  }
});
