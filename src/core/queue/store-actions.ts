// What a user's request does to jobs already added, with no lease held: cancel, switch generator,
// re-price, retry, delete (adding them: store-add.ts). Each write checks the job's state in its own
// UPDATE (one BEGIN IMMEDIATE transaction), so a worker that claims the job meanwhile wins cleanly.
import { ACTIVE_STATES } from '../../shared/domain';
import { writeTx } from '../db/write';
import { madeAgainMessage, NOT_RECEIVED_CODE } from '../reconcile/messages';
import { CLEAR_ARM_SQL, CLEAR_LEASE_SQL, toRow, type JobRow, type Raw } from './rows';
import { appendEvent, TERMINAL_SQL, type StoreContext } from './store-context';
import { updateFenced } from './store-fenced';
import { getJob, madeAgainElsewhere, notReceivedSiblings } from './store-reads';
import { canTransition } from './transitions';

/** What switching a waiting job to another generator rewrites. */
export type ModelChange = Pick<JobRow, 'endpoint' | 'provider' | 'preset' | 'optionsJson' | 'inputSha256' | 'estimatedCostUsd' | 'message'>;



/**
 * `made` now makes (or may be charged for) the model of its photo and settings - added anyway, sent
 * again: the jobs of the same ones FAL never received stop saying sending them again is safe (it would
 * pay for that model twice). The ones whose words changed, as they are now.
 */
export function flagMadeAgain(ctx: StoreContext, made: JobRow, at: number): JobRow[] {
  return notReceivedSiblings(ctx, made).flatMap((job) => {
    if (job.id === made.id) return [];
    const checkedAt = ctx.stmt('SELECT absent_checked_at AS at FROM submit_checks WHERE job_id = ?').get(job.id) as { at: number | null } | undefined;
    const message = madeAgainMessage(checkedAt?.at ?? null);
    if (job.message === message && job.errorMessage === message) return [];
    const row = updateFenced(ctx, job.id, job.fence, { errorMessage: message, message }, at, message);
    return row ? [row] : [];
  });
}

/** queued -> canceled when nothing was sent to FAL yet. Null when the job is not in that case. */
export function cancelQueued(ctx: StoreContext, id: string, at: number, message: string): JobRow | null {
  return writeTx(ctx.db, () => {
    const raw = ctx.stmt(
      `UPDATE jobs SET state = 'canceled', fence = fence + 1, finished_at = @at, message = @message, ${CLEAR_LEASE_SQL}
       WHERE id = @id AND state = 'queued' AND fal_request_id IS NULL AND submit_started_at IS NULL RETURNING *`,
    ).get({ id, at, message }) as Raw | undefined;
    if (!raw) return null;
    appendEvent(ctx, id, 'transition', 'queued', 'canceled', message, at);
    return toRow(raw);
  });
}

/**
 * Gives a waiting job another generator: only while it is queued, not flagged for cancel and was never
 * sent to FAL (no request id, no submit started), checked in the same UPDATE so a worker that claims
 * it meanwhile wins. The job starts afresh (no back-off, no attempts). Null when not in that case.
 */
export function switchModel(ctx: StoreContext, id: string, change: ModelChange, at: number, note: string): JobRow | null {
  return writeTx(ctx.db, () => {
    const raw = ctx.stmt(
      `UPDATE jobs SET endpoint = @endpoint, provider = @provider, preset = @preset, options_json = @optionsJson,
         input_sha256 = @inputSha256, estimated_cost_usd = @estimatedCostUsd, message = @message,
         fence = fence + 1, attempts = 0, next_attempt_at = NULL
       WHERE id = @id AND state = 'queued' AND cancel_requested = 0
         AND fal_request_id IS NULL AND submit_started_at IS NULL AND submitted_at IS NULL RETURNING *`,
    ).get({ ...change, id }) as Raw | undefined;
    if (!raw) return null;
    appendEvent(ctx, id, 'log', null, null, note, at);
    return toRow(raw);
  });
}

/** A job nothing of was sent yet: waiting, with no submit armed, started or recorded, and no FAL request. */
const UNSENT_SQL = `state = 'queued' AND provider = 'fal' AND fal_request_id IS NULL
  AND submit_armed_at IS NULL AND submit_started_at IS NULL AND submitted_at IS NULL`;

/**
 * Prices the jobs not sent yet again with `estimate` (FAL's prices arrived after they were added):
 * those whose estimate changes, as they are now. A job sent (or on its way: claimed, armed) keeps the
 * estimate it was sent at - its spend is counted at it. The check is in each UPDATE, so a job a worker
 * claims meanwhile keeps its own.
 */
export function reestimateUnsent(ctx: StoreContext, estimate: (row: JobRow) => number | null): JobRow[] {
  return writeTx(ctx.db, () => {
    const out: JobRow[] = [];
    for (const raw of ctx.stmt(`SELECT * FROM jobs WHERE ${UNSENT_SQL}`).all() as Raw[]) {
      const row = toRow(raw);
      const usd = estimate(row);
      if (usd === null || usd === row.estimatedCostUsd) continue;
      const changed = ctx.stmt(`UPDATE jobs SET estimated_cost_usd = @usd WHERE id = @id AND ${UNSENT_SQL} RETURNING *`).get({ id: row.id, usd }) as Raw | undefined;
      if (changed) out.push(toRow(changed));
    }
    return out;
  });
}

/** Flags a job for cancellation by whichever worker holds (or next claims) it. */
export function requestCancel(ctx: StoreContext, id: string): JobRow | null {
  const raw = writeTx(ctx.db, () => ctx.stmt(
    `UPDATE jobs SET cancel_requested = 1, next_attempt_at = NULL
     WHERE id = ? AND state NOT IN (${TERMINAL_SQL}) RETURNING *`,
  ).get(id) as Raw | undefined);
  return raw ? toRow(raw) : null;
}

export interface RequeueOptions {
  resubmit: boolean;
  message: string;
  /**
   * Only while the job still waits on this send, with no request id: what FAL's records proved never
   * received (reconcile/reconciler.ts) - a job sent again since may be charged, and is not resent.
   */
  sentAt?: number;
  /**
   * Not when another job or a library model made, is making or may be charged for the same photo and
   * settings (store-reads madeAgainElsewhere): checked in this transaction, so another process making
   * that photo between a caller's own check and this write cannot get it sent (and paid for) twice.
   */
  unlessMadeAgain?: boolean;
}

/**
 * failed / needs_attention -> queued. `resubmit` forgets the FAL request (a new submit follows);
 * otherwise a stored request id is followed again. The uploaded input URL is always kept.
 */
export function requeue(ctx: StoreContext, id: string, at: number, opts: RequeueOptions): JobRow | null {
  return writeTx(ctx.db, () => requeueIn(ctx, id, at, opts));
}

/** requeue inside the caller's write transaction (also addOrJoin, store-add.ts, reviving a twin). */
export function requeueIn(ctx: StoreContext, id: string, at: number, opts: RequeueOptions): JobRow | null {
  const current = getJob(ctx, id);
  if (!current || !canTransition(current.state, 'queued') || ACTIVE_STATES.includes(current.state)) return null;
  if (opts.sentAt !== undefined && (current.submitStartedAt !== opts.sentAt || current.falRequestId !== null)) return null;
  if (opts.unlessMadeAgain === true && madeAgainElsewhere(ctx, current)) return null;
  const resubmit = opts.resubmit ? 1 : 0;
  if (resubmit === 1 && current.falRequestId !== null) {
    // Kept so reconciliation never takes this request for the coming resend (same input).
    ctx.stmt('INSERT OR IGNORE INTO job_past_requests (request_id, job_id, at) VALUES (?, ?, ?)').run(current.falRequestId, id, at);
  }
  // The send this resend replaces may have reached FAL (answer lost, not settled): kept.
  if (resubmit === 1) keepUnsettledSend(ctx, current);
  // Download again keeps FAL's kept answer and tries its link again: the link's failed mark goes
  // (engine/stored-result.ts), so with no key the job is claimed for it.
  const raw = ctx.stmt(
    `UPDATE jobs SET state = 'queued', fence = fence + 1, attempts = 0, ${CLEAR_LEASE_SQL},
       cancel_requested = 0, error_code = NULL, error_message = NULL, finished_at = NULL, message = @message,
       request_finished = 0,
       fal_request_id = CASE WHEN @resubmit = 1 THEN NULL ELSE fal_request_id END,
       submit_started_at = CASE WHEN @resubmit = 1 THEN NULL ELSE submit_started_at END,
       submit_input_json = CASE WHEN @resubmit = 1 THEN NULL ELSE submit_input_json END,
       ${CLEAR_ARM_SQL},
       submitted_at = CASE WHEN @resubmit = 1 THEN NULL ELSE submitted_at END,
       result_output_json = CASE WHEN @resubmit = 1 THEN NULL WHEN json_valid(result_output_json) THEN json_remove(result_output_json, '$.linkFailed') ELSE result_output_json END,
       progress = CASE WHEN @resubmit = 1 THEN 0 ELSE progress END
     WHERE id = @id AND state = @state RETURNING *`,
  ).get({ id, at, message: opts.message, resubmit, state: current.state }) as Raw | undefined;
  if (!raw) return null;
  appendEvent(ctx, id, 'transition', current.state, 'queued', opts.message, at);
  return toRow(raw);
}

/** A send that left with no request id and that FAL's records have not settled (store-reads POSSIBLE_CHARGES_SQL). */
function isUnsettledSend(job: JobRow): boolean {
  return job.state === 'needs_attention' && job.provider === 'fal' && job.falRequestId === null && job.submitStartedAt !== null && job.errorCode !== NOT_RECEIVED_CODE;
}

/**
 * A job's send that may have reached FAL (answer lost, not settled), when the job forgets it (sent
 * again) or goes (removed): kept with what finds it in FAL's records, so the cap counts it and its
 * settling still counts it (job_past_sends). Nothing for any other job.
 */
function keepUnsettledSend(ctx: StoreContext, job: JobRow): void {
  if (!isUnsettledSend(job)) return;
  ctx.stmt(
    `INSERT OR IGNORE INTO job_past_sends (job_id, sent_at, latest_sent_at, endpoint, input_json, input_url, options_json, preset, estimated_cost_usd)
     VALUES (@id, @sentAt, @latestSentAt, @endpoint, @inputJson, @inputUrl, @optionsJson, @preset, @usd)`,
  ).run({
    // The latest the send can have left: when it was found so (its send time is the arm's after a power cut).
    id: job.id, sentAt: job.submitStartedAt, latestSentAt: Math.max(job.submitStartedAt ?? 0, job.finishedAt ?? 0), endpoint: job.endpoint, inputJson: job.submitInputJson, inputUrl: job.inputUrl,
    optionsJson: job.optionsJson, preset: job.preset, usd: job.estimatedCostUsd,
  });
}

/**
 * Deletes a finished job (its events go with it; its model stays). A send of it FAL may have charged
 * (needs attention, not settled) stays counted against the cap: removing the job settles nothing.
 */
export function removeFinished(ctx: StoreContext, id: string): boolean {
  return writeTx(ctx.db, () => {
    const raw = ctx.stmt(`DELETE FROM jobs WHERE id = ? AND state IN (${TERMINAL_SQL}) RETURNING *`).get(id) as Raw | undefined;
    if (!raw) return false;
    keepUnsettledSend(ctx, toRow(raw));
    return true;
  });
}

/** Deletes succeeded and canceled jobs; failed and needs_attention stay until dealt with. */
export function clearFinished(ctx: StoreContext): string[] {
  return writeTx(ctx.db, () => ctx.stmt(`DELETE FROM jobs WHERE state IN ('succeeded','canceled') RETURNING id`).all() as Raw[]).map((r) => String(r.id));
}
