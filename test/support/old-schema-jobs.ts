// Jobs inserted into a database kept at an older schema (a test of a migration): the store writes
// today's columns, which an old table lacks (migration 24's source_sha256 broke every such test).
// Each job is made by today's store in a scratch database, then copied with the columns the old
// table has.
import Database from 'better-sqlite3';
import { migrate } from '../../src/core/db/migrations';
import { JobStore, type JobRow, type NewJob } from '../../src/core/queue/store';

export function insertJobsAtOldSchema(db: Database.Database, jobs: readonly NewJob[]): JobRow[] {
  const scratch = new Database(':memory:');
  try {
    migrate(scratch);
    const rows = new JobStore(scratch).insertMany(jobs);
    const columns = new Set((db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name));
    for (const row of rows) {
      const full = scratch.prepare('SELECT * FROM jobs WHERE id = ?').get(row.id) as Record<string, unknown>;
      const kept = Object.keys(full).filter((name) => columns.has(name));
      db.prepare(`INSERT INTO jobs (${kept.join(', ')}) VALUES (${kept.map((name) => `@${name}`).join(', ')})`).run(Object.fromEntries(kept.map((name) => [name, full[name]])));
    }
    return rows;
  } finally {
    scratch.close();
  }
}
