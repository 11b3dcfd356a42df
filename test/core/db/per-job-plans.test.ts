// Statements a job runs each time it finishes, or reconciliation runs per request, must not read a
// table that grows with the history: with 10,000 jobs in the library every finished job would walk
// them all on the thread that serves the window. Each statement is taken from the code that runs it
// (better-sqlite3's prepare is watched) and its plan read with SQLite's EXPLAIN QUERY PLAN.
import Database from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/core/db/migrations';
import { CostStore } from '../../../src/core/spend/costs';
import { createStatsRecorder } from '../../../src/core/stats/recorder';

let db: Database.Database | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  db?.close();
});

/** The SQL `use` prepares on `db`, with the table scans in each one's plan. */
function scansOf(use: () => void): { sql: string; scans: string[] }[] {
  const prepared: string[] = [];
  const prepare = Database.prototype.prepare;
  vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
    prepared.push(sql);
    return prepare.call(this, sql);
  } as typeof prepare);
  use();
  vi.restoreAllMocks();
  return prepared.map((sql) => {
    const params = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((match) => [match[1], null]));
    const positional = new Array((sql.match(/\?/g) ?? []).length).fill(null);
    const plan = (sql.includes('@') ? db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) : db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...positional)) as { detail: string }[];
    return { sql: sql.replace(/\s+/g, ' ').slice(0, 120), scans: plan.map((row) => row.detail).filter((detail) => /^SCAN\b/.test(detail)) };
  });
}

function freshDb(): Database.Database {
  db = new Database(':memory:');
  migrate(db, MIGRATIONS);
  return db;
}

it("a result answer's billable units find their job by request id through an index", () => {
  const costs = new CostStore(freshDb());
  const plans = scansOf(() => costs.jobOfRequest('req-1'));
  expect(plans.length).toBeGreaterThan(0);
  expect(plans).toEqual(plans.map((plan) => ({ ...plan, scans: [] })));
});

it("a finished job's request outcome reads the stats by job through an index", () => {
  const stats = createStatsRecorder(freshDb());
  const outcome = { jobId: 'job-1', endpoint: 'tripo', startedAt: 1_000, finishedAt: 2_000 };
  const plans = scansOf(() => {
    stats.recordRequestOutcome({ ...outcome, requestId: 'req-1', status: 'succeeded' });
    stats.recordRequestOutcome({ ...outcome, requestId: null, status: 'uncertain' });
  });
  const byJob = plans.filter((plan) => /job_id = (\?|@jobId)/.test(plan.sql));
  expect(byJob.length).toBeGreaterThanOrEqual(2);
  expect(byJob).toEqual(byJob.map((plan) => ({ ...plan, scans: [] })));
});
