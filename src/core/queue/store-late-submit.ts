// FAL's answer to a submit that came after its worker lost the job: the lease ran out while the POST
// was in flight (a laptop asleep, a stalled event loop) and recovery - by this process or another
// one on the same folder - set the job aside as "may have been sent" (store-leases.ts). The request
// id is still the one fact that settles that send, so it is stored without the worker's fence, but
// only while the job still waits on exactly that send: needs_attention, no request id, the same send
// mark, and the id no other job has. The job then goes back to the queue to be followed, as when
// the reconciler adopts a request (reconcile/checks.ts). Anything else (the user sent it again, an id
// was adopted meanwhile, the job was deleted) is left as it is; the id is journaled, and a request
// no job holds is counted in the spend (keepMovedOn).
import { writeTx } from '../db/write';
import { FORGET_UNCERTAIN_SEND } from '../stats/recorder';
import { CLEAR_LEASE_SQL, toRow, type JobRow, type Raw } from './rows';
import { appendEvent, type StoreContext } from './store-context';

export interface LateSubmission {
  /** The send mark (submit_started_at) the worker wrote before this POST left. */
  sentAt: number;
  requestId: string;
  /** When the answer came (the job's submitted_at and its spend, as for an answer in time). */
  at: number;
}

/** The updated row when the id was stored; null when the job had moved on (the id is journaled then). */
export function recordLateSubmission(ctx: StoreContext, id: string, late: LateSubmission): JobRow | null {
  const message = `FAL accepted this job as ${late.requestId}; its answer came after the job was set aside, so it is followed now`;
  return writeTx(ctx.db, () => {
    const raw = ctx.stmt(
      `UPDATE jobs SET state = 'queued', fal_request_id = @requestId, submitted_at = @at, fence = fence + 1, ${CLEAR_LEASE_SQL},
         error_code = NULL, error_message = NULL, finished_at = NULL, request_finished = 0, message = @message
       WHERE id = @id AND state = 'needs_attention' AND fal_request_id IS NULL AND submit_started_at = @sentAt
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE fal_request_id = @requestId)
         AND NOT EXISTS (SELECT 1 FROM job_past_requests WHERE request_id = @requestId)
       RETURNING *`,
    ).get({ id, requestId: late.requestId, sentAt: late.sentAt, at: late.at, message }) as Raw | undefined;
    if (!raw) {
      keepMovedOn(ctx, id, late);
      return null;
    }
    const row = toRow(raw);
    // The send is no longer uncertain: the request's outcome will be counted (src/core/stats).
    ctx.stmt(FORGET_UNCERTAIN_SEND).run(id, late.sentAt);
    if (row.estimatedCostUsd !== null) ctx.stmt('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(id, late.at, row.estimatedCostUsd, late.requestId);
    appendEvent(ctx, id, 'transition', 'needs_attention', 'queued', message, late.at);
    return row;
  });
}

/**
 * The late id of a job that moved on. Already its own (the reconciler adopted that very request):
 * said so, nothing else - it is counted already. Held by no job: FAL runs (and charges) a request
 * nobody follows - its price is counted in the spend (the cap), once, and the id is kept among the
 * job's past requests, as a resend keeps the one it replaces, so reconciliation never takes it for a
 * later send of the same job (same input). The job is left as it is.
 */
function keepMovedOn(ctx: StoreContext, id: string, late: LateSubmission): void {
  const job = ctx.stmt('SELECT fal_request_id AS requestId, estimated_cost_usd AS usd FROM jobs WHERE id = ?').get(id) as
    | { requestId: string | null; usd: number | null }
    | undefined;
  // Was that send kept as uncertain when the job was sent again (job_past_sends)? FAL's answer settles it.
  const settled = ctx.stmt(`UPDATE job_past_sends SET status = 'found', request_id = ?, settled_at = ? WHERE job_id = ? AND sent_at = ? AND status = 'uncertain'`)
    .run(late.requestId, late.at, id, late.sentAt).changes;
  if (!job) {
    if (settled > 0) keepPastRequest(ctx, id, late, pastEstimate(ctx, id, late.sentAt));
    return;
  }
  if (job.requestId === late.requestId) {
    appendEvent(ctx, id, 'log', null, null, `FAL's late answer to this job's send confirms ${late.requestId}, the request it already follows`, late.at);
    return;
  }
  appendEvent(ctx, id, 'log', null, null, `FAL accepted an earlier send of this job as ${late.requestId}, after the job had moved on; not stored`, late.at);
  if (ctx.stmt('SELECT 1 FROM jobs WHERE fal_request_id = ?').get(late.requestId)) return;
  keepPastRequest(ctx, id, late, settled > 0 ? pastEstimate(ctx, id, late.sentAt) : job.usd);
}

/** The estimate of a kept uncertain send (its price when it was sent). */
function pastEstimate(ctx: StoreContext, id: string, sentAt: number): number | null {
  const row = ctx.stmt('SELECT estimated_cost_usd AS usd FROM job_past_sends WHERE job_id = ? AND sent_at = ?').get(id, sentAt) as { usd: number | null } | undefined;
  return row?.usd ?? null;
}

/** A request no job follows, kept among the job's past requests and counted in the spend once. */
function keepPastRequest(ctx: StoreContext, id: string, late: LateSubmission, usd: number | null): void {
  const kept = ctx.stmt('INSERT OR IGNORE INTO job_past_requests (request_id, job_id, at) VALUES (?, ?, ?)').run(late.requestId, id, late.at).changes;
  if (kept > 0 && usd !== null) ctx.stmt('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(id, late.at, usd, late.requestId);
}
