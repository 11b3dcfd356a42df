// A job's images, in order, with their view: the job_inputs table. Every job has its images here;
// jobs.input_* also keep the first one, and the first image's upload URL stays in jobs.input_url
// (the one-image path uses only those). Multi-image jobs keep each other upload URL here, so a
// retry reuses them instead of uploading again.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { ViewRole } from '../../shared/input-roles';
import { statementCache } from '../db/statements';
import type { NewJob } from '../queue/store';

export interface JobInput {
  position: number;
  role: ViewRole | null;
  name: string;
  /** Stored path (relative to the data folder when inside it). */
  path: string;
  sha256: string;
  mime: string;
  url: string | null;
}

type Raw = Record<string, unknown>;

const toInput = (raw: Raw): JobInput => ({
  position: Number(raw.position),
  role: raw.role === null ? null : (String(raw.role) as ViewRole),
  name: String(raw.name),
  path: String(raw.path),
  sha256: String(raw.sha256),
  mime: String(raw.mime),
  url: raw.url === null ? null : String(raw.url),
});

/**
 * What identifies a set for "already made" checks: the images' hashes with their views, in order.
 * One image without a view (or in the model's first view) is keyed by its own hash, as before sets.
 */
export function inputSetKey(inputs: readonly Pick<JobInput, 'role' | 'sha256'>[], firstView: ViewRole | null): string {
  const only = inputs.length === 1 ? inputs[0]! : null;
  if (only && (only.role === null || only.role === firstView)) return only.sha256;
  return createHash('sha256').update(JSON.stringify(inputs.map((input) => [input.role, input.sha256]))).digest('hex');
}

/**
 * The job a held image (or set) would make when sent: the same photo - or set - with the same settings
 * joins one job (queue/store-reads TwinKey), so two held copies of it (two drops) make one job and cost
 * one price. `photo`: the original file's sha256, or a set's inputSetKey. Opaque to the page.
 */
export function heldJobKey(photo: string, endpoint: string, preset: string, optionsJson: string): string {
  return createHash('sha256').update(JSON.stringify([photo, endpoint, preset, optionsJson])).digest('hex');
}

export class JobInputStore {
  private readonly stmt: (sql: string) => Statement;

  constructor(db: Database) {
    this.stmt = statementCache(db);
  }

  /** Writes a job's images; call inside the transaction that inserts the job (JobStore.insertMany). */
  insert(jobId: string, inputs: readonly Omit<JobInput, 'url'>[]): void {
    const insert = this.stmt(
      'INSERT INTO job_inputs (job_id, position, role, name, path, sha256, mime) VALUES (@jobId, @position, @role, @name, @path, @sha256, @mime)',
    );
    for (const input of inputs) insert.run({ jobId, ...input });
  }

  /** The job's images in order; a job made before images were listed here gets its one image from its row. */
  list(jobId: string): JobInput[] {
    return (this.stmt('SELECT * FROM job_inputs WHERE job_id = ? ORDER BY position').all(jobId) as Raw[]).map(toInput);
  }

  get(jobId: string, position: number): JobInput | null {
    const raw = this.stmt('SELECT * FROM job_inputs WHERE job_id = ? AND position = ?').get(jobId, position) as Raw | undefined;
    return raw ? toInput(raw) : null;
  }

  /** Keeps an upload URL, only while the worker still holds the job (its fence). */
  setUrl(jobId: string, position: number, fence: number, url: string): boolean {
    return (
      this.stmt(
        'UPDATE job_inputs SET url = ? WHERE job_id = ? AND position = ? AND EXISTS (SELECT 1 FROM jobs WHERE id = ? AND fence = ?)',
      ).run(url, jobId, position, jobId, fence).changes > 0
    );
  }
}

/** The one image of a job added the one-image way, as a job_inputs row. */
export function singleInputOf(job: NewJob): Omit<JobInput, 'url'> {
  return { position: 0, role: null, name: job.inputName, path: job.inputPath, sha256: job.inputSha256, mime: job.inputMime };
}
