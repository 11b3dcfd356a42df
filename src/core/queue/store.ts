// The job table, in SQL only. Every method is synchronous: better-sqlite3 transactions never span
// an await. A worker's writes are conditioned on its fencing token (`fence`), so a worker whose
// lease was taken over changes nothing; state changes are conditioned on the transition table.
import type { Database, Statement } from 'better-sqlite3';
import { statementCache } from '../db/statements';
import { ACTIVE_STATES, type JobState } from '../../shared/domain';
import { writeTx } from '../db/write';
import { canTransition, statesLeadingTo, TransitionError } from './transitions';
import { CLEAR_LEASE_SQL, toRow, WRITABLE, type EventKind, type JobEvent, type JobPatch, type JobRow, type NewJob, type Raw } from './rows';

export { LEASE_CLEARED, toJob, type EventKind, type JobEvent, type JobPatch, type JobRow, type NewJob } from './rows';

/** What switching a waiting job to another generator rewrites. */
export type ModelChange = Pick<JobRow, 'endpoint' | 'provider' | 'preset' | 'optionsJson' | 'inputSha256' | 'estimatedCostUsd' | 'message'>;

export interface ClaimOptions {
  owner: string;
  now: number;
  leaseMs: number;
  /** False while FAL work is paused (no key, key rejected, offline): only offline jobs and
   *  cancellations are claimed then. */
  falAllowed: boolean;
}

/** Patch fields that may carry outside text. */
const REDACTED: ReadonlySet<string> = new Set(['message', 'errorMessage']);

const ACTIVE_SQL = ACTIVE_STATES.map((s) => `'${s}'`).join(',');
const TERMINAL_SQL = `'succeeded','failed','canceled','needs_attention'`;
const ORDER = 'ORDER BY created_at, rowid';


export class JobStore {

  private readonly stmt: (sql: string) => Statement;

  /**
   * `redact` cleans every text that is stored (messages, error messages, journal lines): outside text
   * (FAL's answers, error messages) may echo the key, and what is stored is later shown and emitted.
   */
  constructor(
    readonly db: Database,
    private readonly redact: (text: string) => string = (text) => text,
  ) {
    this.stmt = statementCache(db);
  }

  /**
   * Runs `fn` with a synced commit (PRAGMA synchronous = FULL), for the few writes that must
   * survive a power cut; everything else commits with the connection's NORMAL sync.
   */
  private durably<T>(fn: () => T): T {
    this.db.pragma('synchronous = FULL');
    try {
      return fn();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }


  // ---- reads -----------------------------------------------------------------------------------

  get(id: string): JobRow | null {
    const raw = this.stmt('SELECT * FROM jobs WHERE id = ?').get(id) as Raw | undefined;
    return raw ? toRow(raw) : null;
  }

  list(): JobRow[] {
    return (this.stmt(`SELECT * FROM jobs ${ORDER}`).all() as Raw[]).map(toRow);
  }

  counts(): { queued: number; active: number; queuedFal: number } {
    const raw = this.stmt(
      `SELECT
         COALESCE(SUM(state = 'queued'), 0) AS queued,
         COALESCE(SUM(state IN (${ACTIVE_SQL})), 0) AS active,
         COALESCE(SUM(state = 'queued' AND provider = 'fal'), 0) AS queued_fal
       FROM jobs WHERE state IN ('queued', ${ACTIVE_SQL})`
    ).get() as Raw; // IN, not NOT IN, so the state index is used
    return { queued: Number(raw.queued), active: Number(raw.active), queuedFal: Number(raw.queued_fal) };
  }

  /** Earliest future time something becomes claimable: a back-off ends or a lease expires. */
  nextWakeAt(now: number): number | null {
    const raw = this.stmt(
      `SELECT MIN(t) AS t FROM (
         SELECT MIN(next_attempt_at) AS t FROM jobs WHERE state = 'queued' AND next_attempt_at > ?
         UNION ALL
         SELECT MIN(lease_expires_at) AS t FROM jobs WHERE state IN (${ACTIVE_SQL}) AND lease_expires_at > ?
       )`,
    ).get(now, now) as Raw;
    return raw.t === null || raw.t === undefined ? null : Number(raw.t);
  }

  events(jobId: string): JobEvent[] {
    return (this.stmt('SELECT * FROM job_events WHERE job_id = ? ORDER BY id').all(jobId) as Raw[]).map((raw) => ({
      id: Number(raw.id),
      jobId: String(raw.job_id),
      at: Number(raw.at),
      kind: raw.kind as EventKind,
      fromState: (raw.from_state as JobState | null) ?? null,
      toState: (raw.to_state as JobState | null) ?? null,
      message: (raw.message as string | null) ?? null,
    }));
  }

  /** Jobs that hold the same prepared input with the same parameters (for duplicate checks). */
  activeSiblings(inputSha256: string, endpoint: string, preset: string, optionsJson: string): JobRow[] {
    return (
      this.stmt(
        `SELECT * FROM jobs WHERE input_sha256 = ? AND endpoint = ? AND preset = ? AND options_json = ?
           AND state NOT IN (${TERMINAL_SQL}) ${ORDER}`,
      ).all(inputSha256, endpoint, preset, optionsJson) as Raw[]
    ).map(toRow);
  }

  // ---- inserts ---------------------------------------------------------------------------------

  /** Inserts queued jobs in one transaction (all or none). */
  insertMany(jobs: readonly NewJob[], alsoFor?: (job: NewJob) => void): JobRow[] {
    const insert = this.stmt(
      `INSERT INTO jobs (id, state, endpoint, provider, preset, options_json, input_name, input_path, input_sha256,
         input_mime, max_attempts, created_at, estimated_cost_usd, message, output_dir, inputs_json)
       VALUES (@id, 'queued', @endpoint, @provider, @preset, @optionsJson, @inputName, @inputPath, @inputSha256,
         @inputMime, @maxAttempts, @createdAt, @estimatedCostUsd, @message, @outputDir, @inputsJson)`,
    );
    return this.durably(() =>
      writeTx(this.db, () =>
        jobs.map((job) => {
          insert.run({ ...job, message: job.message ?? null, outputDir: job.outputDir ?? null, inputsJson: job.inputsJson ?? null });
          // What belongs to the job (its images) is written in the same transaction.
          alsoFor?.(job);
          this.appendEvent(job.id, 'transition', null, 'queued', null, job.createdAt);
          return this.get(job.id)!;
        }),
      ),
    );
  }

  appendEvent(jobId: string, kind: EventKind, from: JobState | null, to: JobState | null, message: string | null, at: number): void {
    this.stmt('INSERT INTO job_events (job_id, at, kind, from_state, to_state, message) VALUES (?, ?, ?, ?, ?, ?)').run(
      jobId,
      at,
      kind,
      from,
      to,
      message === null ? null : this.redact(message),
    );
  }

  // ---- claiming --------------------------------------------------------------------------------

  /**
   * Atomically takes the next job: a cancellation to carry out first, then queued jobs whose
   * back-off is over, oldest first. Sets the lease and a new fencing token; queued -> preparing.
   */
  claimNext(opts: ClaimOptions): JobRow | null {
    const fal = opts.falAllowed ? 1 : 0;
    return writeTx(this.db, () => {
      const raw = this.stmt(
        `UPDATE jobs SET state = 'preparing', fence = fence + 1, lease_owner = @owner,
           lease_expires_at = @expires, started_at = COALESCE(started_at, @now), next_attempt_at = NULL
         WHERE id = (
           SELECT id FROM jobs
           WHERE state = 'queued'
             AND (cancel_requested = 1
               OR ((next_attempt_at IS NULL OR next_attempt_at <= @now) AND (provider = 'offline' OR @fal = 1)))
           ORDER BY cancel_requested DESC, created_at, rowid LIMIT 1)
         RETURNING *`,
      ).get({ owner: opts.owner, expires: opts.now + opts.leaseMs, now: opts.now, fal }) as Raw | undefined;
      if (!raw) return null;
      const row = toRow(raw);
      this.appendEvent(row.id, 'transition', 'queued', 'preparing', null, opts.now);
      return row;
    });
  }

  /** Extends the lease; false when the job is no longer ours. Also reports a cancel request. */
  heartbeat(id: string, fence: number, now: number, leaseMs: number): { held: boolean; cancelRequested: boolean } {
    const raw = writeTx(this.db, () => this.stmt(
      `UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND fence = ? AND state IN (${ACTIVE_SQL}) RETURNING cancel_requested`,
    ).get(now + leaseMs, id, fence) as Raw | undefined);
    return raw ? { held: true, cancelRequested: Number(raw.cancel_requested) === 1 } : { held: false, cancelRequested: false };
  }

  // ---- fenced worker writes ----------------------------------------------------------------------

  /**
   * Applies `patch` if the caller still holds the job (same fence). With `patch.state` the change
   * must be allowed by the transition table and is journaled. Progress only moves forward.
   * Returns the updated row, or null when the write was fenced off.
   */
  update(id: string, fence: number, patch: JobPatch, at: number, note?: string | null, logs: readonly string[] = []): JobRow | null {
    const run = () => writeTx(this.db, () => this.updateInTx(id, fence, patch, at, note ?? null, logs));
    // The submit intent must be on disk before the submit is sent (see recordSubmission).
    return patch.submitStartedAt ? this.durably(run) : run();
  }

  private updateInTx(id: string, fence: number, patch: JobPatch, at: number, note: string | null, logs: readonly string[] = []): JobRow | null {
    const keys = (Object.keys(patch) as (keyof JobPatch)[]).filter((key) => patch[key] !== undefined);
    const sets = keys.map((key) => (key === 'progress' ? 'progress = MAX(progress, @progress)' : `${WRITABLE[key]} = @${key}`));
    const params: Record<string, unknown> = { id, fence };
    for (const key of keys) {
      const value = patch[key];
      params[key] = typeof value === 'boolean' ? (value ? 1 : 0) : typeof value === 'string' && REDACTED.has(key) ? this.redact(value) : value;
    }
    let where = 'id = @id AND fence = @fence';
    let from: JobState | null = null;
    if (patch.state) {
      const current = this.get(id);
      if (!current || current.fence !== fence) return null;
      from = current.state;
      if (from !== patch.state && !canTransition(from, patch.state)) throw new TransitionError(from, patch.state);
      where += ` AND state IN (${statesLeadingTo(patch.state).concat(patch.state).map((s) => `'${s}'`).join(',')})`;
    }
    // Without changes the fenced no-op still tells whether the job is still ours.
    if (sets.length === 0) sets.push('fence = fence');
    const raw = this.stmt(`UPDATE jobs SET ${sets.join(', ')} WHERE ${where} RETURNING *`).get(params) as Raw | undefined;
    if (!raw) return null;
    const row = toRow(raw);
    for (const line of logs) this.appendEvent(id, 'log', null, null, line, at);
    if (patch.state && from !== patch.state) this.appendEvent(id, 'transition', from, patch.state, note, at);
    else if (note) this.appendEvent(id, 'log', null, null, note, at);
    return row;
  }

  /** Fenced journal line (FAL log lines, notes); false when fenced off. */
  log(id: string, fence: number, message: string, at: number, kind: EventKind = 'log'): boolean {
    return writeTx(this.db, () => {
      const held = this.stmt('SELECT 1 FROM jobs WHERE id = ? AND fence = ?').get(id, fence);
      if (!held) return false;
      this.appendEvent(id, kind, null, null, message, at);
      return true;
    });
  }

  /**
   * Records a submission: the request id, the state and the spend, in one transaction, so a
   * crash can never leave a submitted job without its request id stored. A normal commit, not a
   * synced one: a power cut that drops it leaves the synced submit intent, so the job comes back
   * needs_attention and reconciliation finds the request in FAL's records - never a second charge.
   * (One fsync less per job on the engine's one thread.)
   */
  recordSubmission(id: string, fence: number, requestId: string, queuePosition: number | null, progress: number, at: number): JobRow | null {
    return writeTx(this.db, () => {
      const row = this.updateInTx(
        id,
        fence,
        {
          state: 'submitted',
          falRequestId: requestId,
          submittedAt: at,
          queuePosition,
          progress,
          message: queuePosition !== null && queuePosition > 0 ? `Waiting at FAL (position ${queuePosition})` : 'Waiting at FAL',
        },
        at,
        `Submitted to FAL as ${requestId}`,
      );
      if (row && row.estimatedCostUsd !== null) {
        this.stmt('INSERT INTO spend (job_id, at, usd) VALUES (?, ?, ?)').run(id, at, row.estimatedCostUsd);
      }
      return row;
    });
  }

  /**
   * Runs `before` (e.g. inserting the job's model) and then the fenced update in one transaction;
   * when the update is fenced off nothing of it is kept. Returns the updated row or null.
   */
  commitWith(id: string, fence: number, patch: JobPatch, at: number, note: string | null, before: () => void): JobRow | null {
    try {
      return writeTx(this.db, () => {
        before();
        const row = this.updateInTx(id, fence, patch, at, note);
        if (!row) throw new FencedOff();
        return row;
      });
    } catch (error) {
      if (error instanceof FencedOff) return null;
      throw error;
    }
  }

  // ---- user actions (no lease needed) ----------------------------------------------------------

  /** queued -> canceled when nothing was sent to FAL yet. Null when the job is not in that case. */
  cancelQueued(id: string, at: number, message: string): JobRow | null {
    return writeTx(this.db, () => {
      const raw = this.stmt(
        `UPDATE jobs SET state = 'canceled', fence = fence + 1, finished_at = @at, message = @message, ${CLEAR_LEASE_SQL}
         WHERE id = @id AND state = 'queued' AND fal_request_id IS NULL AND submit_started_at IS NULL RETURNING *`,
      ).get({ id, at, message }) as Raw | undefined;
      if (!raw) return null;
      this.appendEvent(id, 'transition', 'queued', 'canceled', message, at);
      return toRow(raw);
    });
  }

  /**
   * Gives a waiting job another generator: only while it is queued, not flagged for cancel and was never
   * sent to FAL (no request id, no submit started), checked in the same UPDATE so a worker that claims
   * it meanwhile wins. The job starts afresh (no back-off, no attempts). Null when not in that case.
   */
  switchModel(id: string, change: ModelChange, at: number, note: string): JobRow | null {
    return writeTx(this.db, () => {
      const raw = this.stmt(
        `UPDATE jobs SET endpoint = @endpoint, provider = @provider, preset = @preset, options_json = @optionsJson,
           input_sha256 = @inputSha256, estimated_cost_usd = @estimatedCostUsd, message = @message,
           fence = fence + 1, attempts = 0, next_attempt_at = NULL
         WHERE id = @id AND state = 'queued' AND cancel_requested = 0
           AND fal_request_id IS NULL AND submit_started_at IS NULL AND submitted_at IS NULL RETURNING *`,
      ).get({ ...change, id }) as Raw | undefined;
      if (!raw) return null;
      this.appendEvent(id, 'log', null, null, note, at);
      return toRow(raw);
    });
  }

  /** Flags a job for cancellation by whichever worker holds (or next claims) it. */
  requestCancel(id: string): JobRow | null {
    const raw = writeTx(this.db, () => this.stmt(
      `UPDATE jobs SET cancel_requested = 1, next_attempt_at = NULL
       WHERE id = ? AND state NOT IN (${TERMINAL_SQL}) RETURNING *`,
    ).get(id) as Raw | undefined);
    return raw ? toRow(raw) : null;
  }

  /**
   * failed / needs_attention -> queued. `resubmit` forgets the FAL request (a new submit follows);
   * otherwise a stored request id is followed again. The uploaded input URL is always kept.
   */
  requeue(id: string, at: number, opts: { resubmit: boolean; message: string }): JobRow | null {
    return writeTx(this.db, () => {
      const current = this.get(id);
      if (!current || !canTransition(current.state, 'queued') || ACTIVE_STATES.includes(current.state)) return null;
      const resubmit = opts.resubmit ? 1 : 0;
      if (resubmit === 1 && current.falRequestId !== null) {
        // Kept so reconciliation never takes this request for the coming resend (same input).
        this.stmt('INSERT OR IGNORE INTO job_past_requests (request_id, job_id, at) VALUES (?, ?, ?)').run(current.falRequestId, id, at);
      }
      const raw = this.stmt(
        `UPDATE jobs SET state = 'queued', fence = fence + 1, attempts = 0, ${CLEAR_LEASE_SQL},
           cancel_requested = 0, error_code = NULL, error_message = NULL, finished_at = NULL, message = @message,
           request_finished = 0,
           fal_request_id = CASE WHEN @resubmit = 1 THEN NULL ELSE fal_request_id END,
           submit_started_at = CASE WHEN @resubmit = 1 THEN NULL ELSE submit_started_at END,
           submit_input_json = CASE WHEN @resubmit = 1 THEN NULL ELSE submit_input_json END,
           submitted_at = CASE WHEN @resubmit = 1 THEN NULL ELSE submitted_at END,
           progress = CASE WHEN @resubmit = 1 THEN 0 ELSE progress END
         WHERE id = @id AND state = @state RETURNING *`,
      ).get({ id, at, message: opts.message, resubmit, state: current.state }) as Raw | undefined;
      if (!raw) return null;
      this.appendEvent(id, 'transition', current.state, 'queued', opts.message, at);
      return toRow(raw);
    });
  }

  /** Deletes a finished job (its events go with it; its model stays). */
  remove(id: string): boolean {
    return writeTx(this.db, () => this.stmt(`DELETE FROM jobs WHERE id = ? AND state IN (${TERMINAL_SQL})`).run(id).changes > 0);
  }

  /** Deletes succeeded and canceled jobs; failed and needs_attention stay until dealt with. */
  clearFinished(): string[] {
    return writeTx(this.db, () => this.stmt(`DELETE FROM jobs WHERE state IN ('succeeded','canceled') RETURNING id`).all() as Raw[]).map((r) => String(r.id));
  }

  // ---- recovery --------------------------------------------------------------------------------

  /**
   * Takes back active jobs whose worker is gone (lease expired, or `ownerIsDead` says so): a job
   * that was being sent to FAL without a stored request id becomes needs_attention (it may or may
   * not have been accepted); every other one goes back to queued, keeping its upload and request id
   * so the next claim resumes it. Bumps the fence so the old worker can write nothing more.
   */
  recoverOrphans(now: number, ownerIsDead: (owner: string) => boolean, ambiguousMessage: string): JobRow[] {
    return writeTx(this.db, () => {
      const candidates = (this.stmt(`SELECT * FROM jobs WHERE state IN (${ACTIVE_SQL})`).all() as Raw[]).map(toRow);
      const recovered: JobRow[] = [];
      for (const job of candidates) {
        const expired = job.leaseExpiresAt === null || job.leaseExpiresAt <= now;
        if (!expired && !(job.leaseOwner !== null && ownerIsDead(job.leaseOwner))) continue;
        const ambiguous = job.falRequestId === null && job.submitStartedAt !== null;
        const to: JobState = ambiguous ? 'needs_attention' : 'queued';
        const raw = this.stmt(
          `UPDATE jobs SET state = @to, fence = fence + 1, ${CLEAR_LEASE_SQL},
             finished_at = CASE WHEN @to = 'needs_attention' THEN @now ELSE finished_at END,
             error_code = CASE WHEN @to = 'needs_attention' THEN 'submit_interrupted' ELSE error_code END,
             error_message = CASE WHEN @to = 'needs_attention' THEN @msg ELSE error_message END,
             message = CASE WHEN @to = 'needs_attention' THEN @msg ELSE 'Resuming after an interruption' END
           WHERE id = @id AND fence = @fence RETURNING *`,
        ).get({ to, now, msg: ambiguousMessage, id: job.id, fence: job.fence }) as Raw | undefined;
        if (!raw) continue;
        this.appendEvent(job.id, 'transition', job.state, to, ambiguous ? ambiguousMessage : 'Recovered after the worker stopped', now);
        recovered.push(toRow(raw));
      }
      return recovered;
    });
  }

  /** Spend recorded at submission between two times (epoch ms), in USD. */
  spendBetween(from: number, to: number): number {
    const raw = this.stmt('SELECT COALESCE(SUM(usd), 0) AS total FROM spend WHERE at >= ? AND at < ?').get(from, to) as Raw;
    return Number(raw.total);
  }
}

/** Rolls back a transaction whose fenced update changed nothing. */
class FencedOff extends Error {}
