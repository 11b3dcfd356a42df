// Who works on a job: claiming the next one (lease + new fencing token), keeping the lease alive,
// and taking back jobs whose worker is gone. Each is one BEGIN IMMEDIATE transaction, so two
// processes on one folder never claim or recover the same job twice.
import type { JobState } from '../../shared/domain';
import { writeTx } from '../db/write';
import { currentBoot, isCurrentBoot } from '../util/boot';
import { CLEAR_ARM_SQL, CLEAR_LEASE_SQL, toRow, type JobRow, type Raw } from './rows';
import { ACTIVE_SQL, appendEvent, KEPT_LINK_USABLE_SQL, type StoreContext } from './store-context';

export interface ClaimOptions {
  owner: string;
  now: number;
  leaseMs: number;
  /** False while FAL work is paused (no key, key rejected, offline): only offline jobs and
   *  cancellations are claimed then. */
  falAllowed: boolean;
  /** While falAllowed is false for the spending cap only: FAL jobs with a stored request id (resumed, Download again) cost nothing more and are claimed. */
  followAllowed?: boolean;
  /** While falAllowed is false (no key, key refused): FAL jobs whose model link is kept with them need no key, and are claimed. */
  keptAllowed?: boolean;
}

/**
 * Atomically takes the next job: a cancellation to carry out first, then queued jobs whose
 * back-off is over, oldest first. Sets the lease and a new fencing token; queued -> preparing. An
 * arm left on a queued job (a write that failed between arm and send) is stale - no worker holds
 * the job - and goes, or a restart during this claim would take it for "may have been sent". The
 * error it waited out (offline, a 429, a back-off) goes too: a job that goes on is no longer what that
 * error said; if it happens again, the run writes it again.
 */
export function claimNext(ctx: StoreContext, opts: ClaimOptions): JobRow | null {
  const fal = opts.falAllowed ? 1 : 0;
  const follow = opts.followAllowed ? 1 : 0;
  const kept = opts.keptAllowed ? 1 : 0;
  // Two index lookups instead of one query ordered by cancel_requested (that sorted every queued
  // row on each claim): the queued cancellations (a small partial index), then the oldest due job.
  const nextId = () =>
    (ctx.stmt(`SELECT id FROM jobs INDEXED BY jobs_queued_cancels WHERE state = 'queued' AND cancel_requested = 1 ORDER BY created_at, rowid LIMIT 1`).get() ??
      ctx.stmt(
        `SELECT id FROM jobs
         WHERE state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= @now) AND (provider = 'offline' OR @fal = 1 OR (@follow = 1 AND fal_request_id IS NOT NULL) OR (@kept = 1 AND ${KEPT_LINK_USABLE_SQL}))
         ORDER BY created_at, rowid LIMIT 1`,
      ).get({ now: opts.now, fal, follow, kept })) as { id: string } | undefined;
  // Nothing to claim (the scheduler asks each time a job moves on; two in three asks find nothing in
  // the queue bench): a read, without taking the write lock for an empty transaction. A job queued
  // just after it is claimed at the next ask (every change wakes the scheduler; else its poll).
  if (!ctx.db.inTransaction && !nextId()) return null;
  return writeTx(ctx.db, () => {
    const next = nextId();
    if (!next) return null;
    const raw = ctx.stmt(
      `UPDATE jobs SET state = 'preparing', fence = fence + 1, lease_owner = @owner,
         lease_expires_at = @expires, started_at = COALESCE(started_at, @now), next_attempt_at = NULL,
         error_code = NULL, error_message = NULL, ${CLEAR_ARM_SQL}
       WHERE id = @id AND state = 'queued'
       RETURNING *`,
    ).get({ owner: opts.owner, expires: opts.now + opts.leaseMs, now: opts.now, id: next.id }) as Raw | undefined;
    if (!raw) return null;
    const row = toRow(raw);
    appendEvent(ctx, row.id, 'transition', 'queued', 'preparing', null, opts.now);
    return row;
  });
}

/** Extends the lease; false when the job is no longer ours. Also reports a cancel request. */
export function heartbeat(ctx: StoreContext, id: string, fence: number, now: number, leaseMs: number): { held: boolean; cancelRequested: boolean } {
  const raw = writeTx(ctx.db, () => ctx.stmt(
    `UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND fence = ? AND state IN (${ACTIVE_SQL}) RETURNING cancel_requested`,
  ).get(now + leaseMs, id, fence) as Raw | undefined);
  return raw ? { held: true, cancelRequested: Number(raw.cancel_requested) === 1 } : { held: false, cancelRequested: false };
}

/**
 * Gives back at once the owner's jobs whose submit was armed but not sent - for a machine shutting
 * down, when the process may be gone before its workers stop. The fence moves, so a worker that gets
 * its slot now can neither mark nor send; the arm goes, so the next boot does not take these jobs for
 * "may have been sent" (engine/fal-steps.ts). Synchronous: one transaction.
 */
export function releaseUnsent(ctx: StoreContext, owner: string, now: number, message: string): JobRow[] {
  return writeTx(ctx.db, () => {
    const rows = (
      ctx.stmt(
        `UPDATE jobs SET state = 'queued', fence = fence + 1, ${CLEAR_LEASE_SQL}, message = @message,
           submit_input_json = NULL, ${CLEAR_ARM_SQL}
         WHERE lease_owner = @owner AND state = 'preparing' AND fal_request_id IS NULL
           AND submit_started_at IS NULL AND submit_armed_at IS NOT NULL
         RETURNING *`,
      ).all({ owner, message }) as Raw[]
    ).map(toRow);
    // An armed job waits for its slot in 'preparing' (the mark comes before 'submitted').
    for (const row of rows) appendEvent(ctx, row.id, 'transition', 'preparing', 'queued', message, now);
    return rows;
  });
}

/**
 * Whether a job without a request id may have been sent to FAL: it was marked sent, or it was armed
 * (engine/fal-steps.ts) in another boot of the machine - the unsynced mark may have been lost with
 * it. Armed in this boot and not marked: the mark would be there, so nothing was sent.
 */
export function mayHaveBeenSent(job: JobRow, boot: string = currentBoot()): boolean {
  if (job.falRequestId !== null) return false;
  return job.submitStartedAt !== null || (job.submitArmedAt !== null && !isCurrentBoot(job.submitArmedBoot, boot));
}

/**
 * Takes back active jobs whose worker is gone (lease expired, or `ownerIsDead` says so): a job
 * that may have been sent to FAL without a stored request id becomes needs_attention (it may or
 * may not have been accepted; its send time is the arm's when the mark is missing, so FAL's records
 * are searched from then); every other one goes back to queued, keeping its upload and request id
 * so the next claim resumes it, and dropping an intent that was armed but never sent. Bumps the
 * fence so the old worker can write nothing more.
 */
export function recoverOrphans(ctx: StoreContext, now: number, ownerIsDead: (owner: string) => boolean, ambiguousMessage: string): JobRow[] {
  const boot = currentBoot();
  return writeTx(ctx.db, () => {
    const candidates = (ctx.stmt(`SELECT * FROM jobs WHERE state IN (${ACTIVE_SQL})`).all() as Raw[]).map(toRow);
    const recovered: JobRow[] = [];
    for (const job of candidates) {
      const expired = job.leaseExpiresAt === null || job.leaseExpiresAt <= now;
      if (!expired && !(job.leaseOwner !== null && ownerIsDead(job.leaseOwner))) continue;
      const ambiguous = mayHaveBeenSent(job, boot);
      const to: JobState = ambiguous ? 'needs_attention' : 'queued';
      const raw = ctx.stmt(
        `UPDATE jobs SET state = @to, fence = fence + 1, ${CLEAR_LEASE_SQL},
           submit_started_at = CASE WHEN @to = 'needs_attention' THEN COALESCE(submit_started_at, submit_armed_at) ELSE submit_started_at END,
           submit_input_json = CASE WHEN @to = 'queued' AND fal_request_id IS NULL AND submit_started_at IS NULL THEN NULL ELSE submit_input_json END,
           ${CLEAR_ARM_SQL},
           finished_at = CASE WHEN @to = 'needs_attention' THEN @now ELSE finished_at END,
           error_code = CASE WHEN @to = 'needs_attention' THEN 'submit_interrupted' ELSE error_code END,
           error_message = CASE WHEN @to = 'needs_attention' THEN @msg ELSE error_message END,
           message = CASE WHEN @to = 'needs_attention' THEN @msg ELSE 'Resuming after an interruption' END
         WHERE id = @id AND fence = @fence RETURNING *`,
      ).get({ to, now, msg: ambiguousMessage, id: job.id, fence: job.fence }) as Raw | undefined;
      if (!raw) continue;
      appendEvent(ctx, job.id, 'transition', job.state, to, ambiguous ? ambiguousMessage : 'Recovered after the worker stopped', now);
      recovered.push(toRow(raw));
    }
    return recovered;
  });
}
