// A migration runs at start-up inside one write transaction: the app waits for it, and so does every
// other process on the folder. A data step that looks rows up by scanning a table once per row of
// another is quadratic - migration 16 naming old estimates scanned job_past_requests once per spend
// row: 100,000 estimates and 10,000 past requests took 38 s. Each data step (UPDATE, INSERT, DELETE)
// from migration 16 on is checked here by its query plan: besides the table it walks once, each
// table it reads is searched through an index (SQLite's EXPLAIN QUERY PLAN), never scanned per row.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/core/db/migrations';

let db: Database.Database | undefined;
afterEach(() => db?.close());

/** The statements of a migration, one by one (trigger statements taken out first: TRIGGER). */
function statements(sql: string): string[] {
  return sql.split(';').map((s) => s.trim()).filter(Boolean);
}

const FIRST_CHECKED = 16;
/** A whole CREATE TRIGGER statement, its BEGIN ... END body included. */
const TRIGGER = /CREATE TRIGGER\b[\s\S]*?\bEND\s*;/gi;

it('each data step of a migration from 16 on walks one table and searches the others by index', () => {
  db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, FIRST_CHECKED - 1));
  const checked: string[] = [];
  for (let version = FIRST_CHECKED; version <= MIGRATIONS.length; version++) {
    // Triggers (migration 19) are made after the other steps; their bodies run per written row, not here.
    const triggers = MIGRATIONS[version - 1]!.match(TRIGGER) ?? [];
    const sql = MIGRATIONS[version - 1]!.replace(TRIGGER, '');
    expect(/\bBEGIN\b/i.test(sql), `migration ${version} has a body this test cannot split: check its steps another way`).toBe(false);
    for (const step of statements(sql)) {
      if (/^(UPDATE|INSERT|DELETE)\b/i.test(step)) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${step}`).all() as { detail: string }[]).map((row) => row.detail);
        // A step over one constant row (INSERT ... SELECT <values>) runs its subqueries once each: no row multiplies them.
        const scans = plan.includes('SCAN CONSTANT ROW') ? [] : plan.filter((detail) => /^SCAN\b/.test(detail));
        expect(scans.length, `migration ${version}: ${step.slice(0, 80)}…\n${plan.join('\n')}`).toBeLessThanOrEqual(1);
        checked.push(step);
      }
      db.exec(step);
    }
    for (const trigger of triggers) db.exec(trigger);
    db.pragma(`user_version = ${version}`);
  }
  expect(checked.length).toBeGreaterThan(0);
});

it('migration 16 leaves the schema it always left: no index of its own work stays behind', () => {
  db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 16));
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('spend', 'job_past_requests') AND sql IS NOT NULL ORDER BY name").pluck().all();
  expect(indexes).toEqual(['spend_by_at', 'spend_by_request']);
});
