// Which run writes a finished job's model into the job's output folder (the CLI's --out): two runs
// can follow the same job (`resume` twice at once, or `resume` next to the `convert` that made it),
// and without a claim each would write its own copy (photo.glb and photo-2.glb). The same for the
// other files asked for from a job that images joined (job_outputs): another name, another --out.
import type { Database } from 'better-sqlite3';
import { writeTx } from '../db/write';
import type { JobRow } from './rows';

export interface OutputClaim {
  /** The file recorded for the job. */
  file: string;
  /** This call recorded it: the caller writes it. False: another run did (or does). */
  claimed: boolean;
}

/**
 * Records `file` as the job's copy unless a run already recorded one; null for an unknown job.
 * `replacing`: the name this run recorded before, taken by another file before the copy was in place -
 * `file` replaces it (claimed) unless the record changed meanwhile.
 */
export function claimOutputFile(db: Database, jobId: string, file: string, replacing?: string): OutputClaim | null {
  return writeTx(db, () => {
    const claim = replacing === undefined
      ? db.prepare('UPDATE jobs SET output_file = ? WHERE id = ? AND output_file IS NULL').run(file, jobId)
      : db.prepare('UPDATE jobs SET output_file = ? WHERE id = ? AND output_file = ?').run(file, jobId, replacing);
    if (claim.changes === 1) return { file, claimed: true };
    const recorded: unknown = db.prepare('SELECT output_file FROM jobs WHERE id = ?').pluck().get(jobId);
    return typeof recorded === 'string' ? { file: recorded, claimed: false } : null;
  });
}

/**
 * Takes back `file`, recorded for the job by a run that then gave up before its copy was in place (no
 * free name, a disk error), unless the record changed meanwhile. Left recorded, every later run took
 * the job as written - a file another export put under that name was reported as its model, and
 * `resume` (unwrittenOutputs) never wrote it.
 */
export function releaseOutputFile(db: Database, jobId: string, file: string): void {
  writeTx(db, () => db.prepare('UPDATE jobs SET output_file = NULL WHERE id = ? AND output_file = ?').run(jobId, file));
}

/** A file asked for from a job by an image that joined it: `<dir>/<name without extension>.glb`. */
export interface JoinedOutput {
  dir: string;
  /** The joined image's name. */
  name: string;
  /** The file written for it (by any run), or null while nobody has. */
  file: string | null;
}

/**
 * Keeps, with the job `twin`, the file an image that joined it asks for; call inside the transaction
 * that decided the join. A job with no folder of its own takes `dir` as its own (its model goes there
 * under its own name, as if this run had made it); what the job's own file already covers is not kept.
 */
export function recordJoinedOutput(db: Database, twin: Pick<JobRow, 'id' | 'outputDir' | 'inputName'>, output: { dir: string; name: string }): void {
  let ownDir = twin.outputDir;
  if (ownDir === null && db.prepare('UPDATE jobs SET output_dir = ? WHERE id = ? AND output_dir IS NULL').run(output.dir, twin.id).changes === 1) {
    ownDir = output.dir;
  }
  if (ownDir === output.dir && output.name === twin.inputName) return;
  db.prepare('INSERT OR IGNORE INTO job_outputs (job_id, output_dir, name) VALUES (?, ?, ?)').run(twin.id, output.dir, output.name);
}

/** The files asked for from the job by images that joined it, in the order they joined. */
export function joinedOutputs(db: Database, jobId: string): JoinedOutput[] {
  const rows = db.prepare('SELECT output_dir, name, output_file FROM job_outputs WHERE job_id = ? ORDER BY rowid').all(jobId) as Record<string, unknown>[];
  return rows.map((row) => ({ dir: String(row.output_dir), name: String(row.name), file: row.output_file === null ? null : String(row.output_file) }));
}

/** claimOutputFile for a joined image's file (see joinedOutputs); null when the job has no such output. */
export function claimJoinedOutput(db: Database, jobId: string, output: Pick<JoinedOutput, 'dir' | 'name'>, file: string, replacing?: string): OutputClaim | null {
  return writeTx(db, () => {
    const key = [jobId, output.dir, output.name] as const;
    const claim = replacing === undefined
      ? db.prepare('UPDATE job_outputs SET output_file = ? WHERE job_id = ? AND output_dir = ? AND name = ? AND output_file IS NULL').run(file, ...key)
      : db.prepare('UPDATE job_outputs SET output_file = ? WHERE job_id = ? AND output_dir = ? AND name = ? AND output_file = ?').run(file, ...key, replacing);
    if (claim.changes === 1) return { file, claimed: true };
    const recorded: unknown = db.prepare('SELECT output_file FROM job_outputs WHERE job_id = ? AND output_dir = ? AND name = ?').pluck().get(...key);
    return typeof recorded === 'string' ? { file: recorded, claimed: false } : null;
  });
}

/** releaseOutputFile for a joined image's file. */
export function releaseJoinedOutput(db: Database, jobId: string, output: Pick<JoinedOutput, 'dir' | 'name'>, file: string): void {
  writeTx(db, () =>
    db.prepare('UPDATE job_outputs SET output_file = NULL WHERE job_id = ? AND output_dir = ? AND name = ? AND output_file = ?').run(jobId, output.dir, output.name, file),
  );
}

/**
 * Succeeded jobs whose model has a folder to go to (the CLI's --out) but was never written there, or
 * not under every name that joined it: another process (the app, a second engine) finished them while
 * no CLI run followed, or the run that asked was stopped. `resume` writes them. Jobs whose model left
 * the library are not listed (there is nothing to write).
 */
export function unwrittenOutputs(db: Database): string[] {
  return db
    .prepare(
      `SELECT jobs.id FROM jobs JOIN models ON models.id = jobs.model_id
       WHERE jobs.state = 'succeeded' AND (
         (jobs.output_dir IS NOT NULL AND jobs.output_file IS NULL)
         OR EXISTS (SELECT 1 FROM job_outputs WHERE job_outputs.job_id = jobs.id AND job_outputs.output_file IS NULL))
       ORDER BY jobs.created_at, jobs.rowid`,
    )
    .pluck()
    .all() as string[];
}
