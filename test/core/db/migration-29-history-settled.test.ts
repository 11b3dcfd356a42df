// Migration 29 on a library written before it (schema 28): real_costs is made anew so its source may
// be 'request_history' (a possible charge FAL's request history settled: spend/history-settle.ts). Every
// row, its refunds and read times stay; its indexes stay; a cost stored afterwards still reaches Stats
// (its two triggers), on the request's latest outcome only.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/core/db/migrations';
import { localDay } from '../../../src/core/stats/day';

let db: Database.Database | undefined;
afterEach(() => db?.close());

const AT = Date.now() - 60_000;

it('keeps every real cost, its indexes and triggers, and takes the request history as a source', () => {
  db = new Database(':memory:');
  expect(migrate(db, MIGRATIONS.slice(0, 28))).toBe(28);
  db.prepare("INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source, refunded_usd, checked_at) VALUES ('req-a', 'job-a', 'fal-ai/trellis', ?, 2, 0.5, 'billing_event', 0.1, ?)").run(AT, AT + 5);
  db.prepare("INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES ('req-b', NULL, NULL, ?, 0, 0, 'no_charge')").run(AT);
  expect(() => db!.prepare("INSERT INTO real_costs (request_id, at, source) VALUES ('req-x', 1, 'request_history')").run()).toThrow(/CHECK/);
  const before = db.prepare('SELECT * FROM real_costs ORDER BY request_id').all();

  expect(migrate(db)).toBe(MIGRATIONS.length);
  expect(db.prepare('SELECT * FROM real_costs ORDER BY request_id').all()).toEqual(before);
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'real_costs' AND sql IS NOT NULL ORDER BY name").pluck().all();
  expect(indexes).toEqual(['real_costs_by_at', 'real_costs_by_job']);
  expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'real_costs%'").pluck().all()).toEqual(['real_costs']);

  // A request that ended twice: its cost goes to its latest outcome (trigger of migration 27, kept).
  const outcome = db.prepare(
    `INSERT INTO fal_requests (job_id, endpoint, request_id, status, error_type, started_at, finished_at, duration_ms, day, superseded)
     VALUES ('job-c', 'fal-ai/trellis', 'req-c', ?, ?, ?, ?, 1000, ?, ?)`,
  );
  outcome.run('failed', 'server_error', AT, AT + 1000, localDay(AT + 1000), 1);
  outcome.run('failed', 'server_error', AT, AT + 2000, localDay(AT + 2000), 0);
  db.prepare("INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES ('req-c', 'job-c', 'fal-ai/trellis', ?, 0, 0, 'request_history')").run(AT);
  expect(db.prepare("SELECT real_cost_usd FROM fal_requests WHERE request_id = 'req-c' ORDER BY id").pluck().all()).toEqual([null, 0]);
  db.prepare("UPDATE real_costs SET usd = 0.4, source = 'billing_event' WHERE request_id = 'req-c'").run();
  expect(db.prepare("SELECT real_cost_usd FROM fal_requests WHERE request_id = 'req-c' ORDER BY id").pluck().all()).toEqual([null, 0.4]);
});
