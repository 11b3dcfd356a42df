// Which run writes a finished job's model into the job's output folder (the CLI's --out): two runs
// can follow the same job (`resume` twice at once, or `resume` next to the `convert` that made it),
// and without a claim each would write its own copy (photo.glb and photo-2.glb).
import type { Database } from 'better-sqlite3';
import { writeTx } from '../db/write';

export interface OutputClaim {
  /** The file recorded for the job. */
  file: string;
  /** This call recorded it: the caller writes it. False: another run did (or does). */
  claimed: boolean;
}

/** Records `file` as the job's copy unless a run already recorded one; null for an unknown job. */
export function claimOutputFile(db: Database, jobId: string, file: string): OutputClaim | null {
  return writeTx(db, () => {
    if (db.prepare('UPDATE jobs SET output_file = ? WHERE id = ? AND output_file IS NULL').run(file, jobId).changes === 1) {
      return { file, claimed: true };
    }
    const recorded: unknown = db.prepare('SELECT output_file FROM jobs WHERE id = ?').pluck().get(jobId);
    return typeof recorded === 'string' ? { file: recorded, claimed: false } : null;
  });
}

/**
 * Succeeded jobs whose model has a folder to go to (the CLI's --out) but was never written there:
 * another process (the app, a second engine) finished them while no CLI run followed. `resume`
 * writes them. Jobs whose model left the library are not listed (there is nothing to write).
 */
export function unwrittenOutputs(db: Database): string[] {
  return db
    .prepare(
      `SELECT jobs.id FROM jobs JOIN models ON models.id = jobs.model_id
       WHERE jobs.state = 'succeeded' AND jobs.output_dir IS NOT NULL AND jobs.output_file IS NULL
       ORDER BY jobs.created_at, jobs.rowid`,
    )
    .pluck()
    .all() as string[];
}
