// The migration that gives jobs several images: a job written before it keeps working and gets
// its one image listed in job_inputs, upload URL included.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/core/db/migrations';

const JOB_INPUTS = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE job_inputs'));

describe('job_inputs migration', () => {
  it('moves every existing job in as its one image and leaves the job row as it was', () => {
    expect(JOB_INPUTS).toBeGreaterThan(0);
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, JOB_INPUTS));
    db.prepare(
      `INSERT INTO jobs (id, state, endpoint, provider, preset, input_name, input_path, input_sha256, input_mime, input_url, max_attempts, created_at)
       VALUES ('j1', 'failed', 'tripo3d/tripo/v2.5/image-to-3d', 'fal', 'standard', 'cat.png', 'inputs/abc.png', 'abc', 'image/png', 'https://cdn/abc.png', 5, 1)`,
    ).run();
    migrate(db, MIGRATIONS.slice(0, JOB_INPUTS + 1));
    expect(db.prepare('SELECT * FROM job_inputs').all()).toEqual([
      { job_id: 'j1', position: 0, role: null, name: 'cat.png', path: 'inputs/abc.png', sha256: 'abc', mime: 'image/png', url: 'https://cdn/abc.png' },
    ]);
    expect(db.prepare('SELECT input_url, inputs_json FROM jobs').get()).toEqual({ input_url: 'https://cdn/abc.png', inputs_json: null });
    // Removing the job removes its images' rows.
    db.pragma('foreign_keys = ON');
    db.prepare("DELETE FROM jobs WHERE id = 'j1'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM job_inputs').get()).toEqual({ n: 0 });
  });
});
