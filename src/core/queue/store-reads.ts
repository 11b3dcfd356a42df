// Reads of the job table, the journal and the spend log: no transaction, no writes.
import type { JobState } from '../../shared/domain';
import { toRow, type EventKind, type JobEvent, type JobRow, type Raw } from './rows';
import { NOT_RECEIVED_CODE } from '../reconcile/messages';
import { ESTIMATE_ONLY_POSSIBLE_SQL } from '../spend/charge-rule';
import { modelKeysOf, SAME_MODEL_SQL } from '../library/store';
import { ACTIVE_SQL, KEPT_LINK_USABLE_SQL, ORDER, TERMINAL_SQL, type StoreContext } from './store-context';

export function getJob(ctx: StoreContext, id: string): JobRow | null {
  const raw = ctx.stmt('SELECT * FROM jobs WHERE id = ?').get(id) as Raw | undefined;
  return raw ? toRow(raw) : null;
}

export function listJobs(ctx: StoreContext): JobRow[] {
  return (ctx.stmt(`SELECT * FROM jobs ${ORDER}`).all() as Raw[]).map(toRow);
}

/**
 * `queuedFalToSend`: queued FAL jobs whose claim sends a submit (no request id) - what the spending cap
 * holds; one that fetches what FAL already made (Download again, a resumed request) costs nothing more.
 * `queuedNeedingKey`: queued FAL jobs that cannot run without a key (not the ones whose kept link needs none).
 */
export function countJobs(ctx: StoreContext): { queued: number; active: number; queuedFalToSend: number; queuedNeedingKey: number } {
  const raw = ctx.stmt(
    `SELECT
       COALESCE(SUM(state = 'queued'), 0) AS queued,
       COALESCE(SUM(state IN (${ACTIVE_SQL})), 0) AS active,
       COALESCE(SUM(state = 'queued' AND provider = 'fal' AND fal_request_id IS NULL), 0) AS queued_fal_to_send,
       COALESCE(SUM(state = 'queued' AND provider = 'fal' AND NOT ${KEPT_LINK_USABLE_SQL}), 0) AS queued_needing_key
     FROM jobs WHERE state IN ('queued', ${ACTIVE_SQL})`
  ).get() as Raw; // IN, not NOT IN, so the state index is used
  return { queued: Number(raw.queued), active: Number(raw.active), queuedFalToSend: Number(raw.queued_fal_to_send), queuedNeedingKey: Number(raw.queued_needing_key) };
}

/** Earliest future time something becomes claimable: a back-off ends or a lease expires. */
export function nextWakeAt(ctx: StoreContext, now: number): number | null {
  const raw = ctx.stmt(
    `SELECT MIN(t) AS t FROM (
       SELECT MIN(next_attempt_at) AS t FROM jobs WHERE state = 'queued' AND next_attempt_at > ?
       UNION ALL
       SELECT MIN(lease_expires_at) AS t FROM jobs WHERE state IN (${ACTIVE_SQL}) AND lease_expires_at > ?
     )`,
  ).get(now, now) as Raw;
  return raw.t === null || raw.t === undefined ? null : Number(raw.t);
}

export function jobEvents(ctx: StoreContext, jobId: string): JobEvent[] {
  return (ctx.stmt('SELECT * FROM job_events WHERE job_id = ? ORDER BY id').all(jobId) as Raw[]).map((raw) => ({
    id: Number(raw.id),
    jobId: String(raw.job_id),
    at: Number(raw.at),
    kind: raw.kind as EventKind,
    fromState: (raw.from_state as JobState | null) ?? null,
    toState: (raw.to_state as JobState | null) ?? null,
    message: (raw.message as string | null) ?? null,
  }));
}

/** "The same photo with the same settings", as the sibling reads below match it. */
export type TwinKey = Pick<JobRow, 'inputSha256' | 'endpoint' | 'preset' | 'optionsJson'> & { sourceSha256?: string | null };

/**
 * The same photo - the same prepared bytes, or the same original file (single images; its prepared
 * bytes differ with the long side in Settings, the sharp/libvips version, the CPU) - with the same
 * settings. Rows without an original's hash match by their prepared bytes, as before. Each side of
 * the OR is found through its own index (jobs_by_input, jobs_by_source). Named parameters: twinParams.
 */
const SAME_PHOTO_SQL = `(input_sha256 = @inputSha256 OR source_sha256 = @sourceSha256)
  AND endpoint = @endpoint AND preset = @preset AND options_json = @optionsJson`;

function twinParams(key: TwinKey): Record<string, string | null> {
  return { inputSha256: key.inputSha256, sourceSha256: key.sourceSha256 ?? null, endpoint: key.endpoint, preset: key.preset, optionsJson: key.optionsJson };
}

/**
 * Jobs of the same input and parameters whose submit may have reached FAL with no request id stored
 * (needs_attention, not proven "not received" by reconciliation): FAL may be making - and charging -
 * that model, so the same photo added again joins it rather than pay for it a second time.
 */
export function uncertainSiblings(ctx: StoreContext, key: TwinKey): JobRow[] {
  return (
    ctx.stmt(
      `SELECT * FROM jobs WHERE ${SAME_PHOTO_SQL}
         AND state = 'needs_attention' AND fal_request_id IS NULL AND submit_started_at IS NOT NULL
         AND error_code IS NOT @notReceived ${ORDER}`,
    ).all({ ...twinParams(key), notReceived: NOT_RECEIVED_CODE }) as Raw[]
  ).map(toRow);
}

/**
 * Jobs of the same input and parameters whose model FAL made (and charged) and that ended without it -
 * the link kept failing, it could not be stored, a cancel came after FAL finished: FAL still holds the
 * result under the stored request id (shared/job-retry.ts canDownloadAgain), so fetching it is free.
 */
export function paidSiblings(ctx: StoreContext, key: TwinKey): JobRow[] {
  return (
    ctx.stmt(
      `SELECT * FROM jobs WHERE ${SAME_PHOTO_SQL}
         AND state IN ('failed', 'needs_attention') AND fal_request_id IS NOT NULL AND request_finished = 0 ${ORDER}`,
    ).all(twinParams(key)) as Raw[]
  ).map(toRow);
}

/**
 * Every job made from the same photo (its prepared bytes or its original file), whatever its generator,
 * settings and state. An add no user asked for (the watched folder offering a photo again after a crash,
 * before its list was saved) is answered by one rather than make - and maybe pay for - the photo again.
 */
export function photoSiblings(ctx: StoreContext, key: Pick<TwinKey, 'inputSha256' | 'sourceSha256'>): JobRow[] {
  return (
    ctx.stmt(`SELECT * FROM jobs WHERE (input_sha256 = @inputSha256 OR source_sha256 = @sourceSha256) ${ORDER}`).all({
      inputSha256: key.inputSha256,
      sourceSha256: key.sourceSha256 ?? null,
    }) as Raw[]
  ).map(toRow);
}

/**
 * Jobs of the same input and parameters whose send FAL's records proved never received (needs_attention,
 * NOT_RECEIVED_CODE): never charged, and sending one again is safe - the same photo added again takes
 * such a job back rather than make another, which would leave it to be sent (and charged) again later.
 */
export function notReceivedSiblings(ctx: StoreContext, key: TwinKey): JobRow[] {
  return (
    ctx.stmt(
      `SELECT * FROM jobs WHERE ${SAME_PHOTO_SQL}
         AND state = 'needs_attention' AND fal_request_id IS NULL AND submit_started_at IS NOT NULL
         AND error_code IS @notReceived ${ORDER}`,
    ).all({ ...twinParams(key), notReceived: NOT_RECEIVED_CODE }) as Raw[]
  ).map(toRow);
}

/**
 * Whether FAL's records show this request charged nothing: its billing records, or its request history
 * (a server error, or it never started: spend/history-settle.ts) - a real cost of $0 with no refund.
 * Not 'no_charge': no billing event some hours after the job ended is a guess, read again for weeks
 * (FAL lists some charges late; a run given up on may still finish) - sending again on it may pay twice.
 */
export function chargedNothing(ctx: StoreContext, requestId: string): boolean {
  return ctx.stmt("SELECT 1 FROM real_costs WHERE request_id = ? AND usd = 0 AND COALESCE(refunded_usd, 0) = 0 AND source <> 'no_charge'").get(requestId) !== undefined;
}

/**
 * Whether that model was made, is being made or may have been charged for elsewhere: another job than
 * `job` with the same input and parameters (not one that ended before anything was sent), or a model
 * in the library made from them - its job may be gone ("Clear finished", removed), the model is not.
 */
export function madeAgainElsewhere(ctx: StoreContext, job: JobRow): boolean {
  const twin = ctx.stmt(
    `SELECT 1 FROM jobs WHERE ${SAME_PHOTO_SQL} AND id <> @id
       AND (state NOT IN ('failed', 'canceled') OR fal_request_id IS NOT NULL OR submit_started_at IS NOT NULL) LIMIT 1`,
  ).get({ ...twinParams(job), id: job.id });
  if (twin !== undefined) return true;
  const model = ctx.stmt(`SELECT 1 FROM models WHERE ${SAME_MODEL_SQL} AND (job_id IS NULL OR job_id <> @id) LIMIT 1`)
    .get({ ...modelKeysOf(job.inputSha256, job.sourceSha256, job.endpoint, job.preset, job.optionsJson), id: job.id });
  return model !== undefined;
}

/** Unfinished jobs, not being canceled, that hold the same prepared input with the same parameters (for duplicate checks). */
export function activeSiblings(ctx: StoreContext, key: TwinKey): JobRow[] {
  return (
    ctx.stmt(
      `SELECT * FROM jobs WHERE ${SAME_PHOTO_SQL}
         AND state NOT IN (${TERMINAL_SQL}) AND cancel_requested = 0 ${ORDER}`,
    ).all(twinParams(key)) as Raw[]
  ).map(toRow);
}

/**
 * FAL jobs claimed (preparing) whose submit is not recorded yet, here or in another process, optionally
 * leaving one job out: their estimates (spend the spend table does not show yet, see queue-health.ts) and how many.
 */
export function pendingFal(ctx: StoreContext, exceptJobId: string | null): { usd: number; jobs: number } {
  const raw = ctx.stmt(
    `SELECT COALESCE(SUM(estimated_cost_usd), 0) AS total, COUNT(*) AS jobs FROM jobs
     WHERE state = 'preparing' AND provider = 'fal' AND fal_request_id IS NULL AND id IS NOT @except`,
  ).get({ except: exceptJobId }) as Raw;
  return { usd: Number(raw.total) || 0, jobs: Number(raw.jobs) || 0 };
}

/**
 * Sends that left the machine with no request id stored and are not settled yet (needs_attention,
 * not proven "not received" by reconciliation; or such a send of a job the user sent again since,
 * kept in job_past_sends until settled), sent in [@from, @to): FAL may have received - and
 * charged - each of them, so they count at their estimate until FAL's records settle them (adopted:
 * the spend row of the request; not received: nothing). Also the estimates of requests FAL failed or that
 * were stopped, whose charge is not known yet (spend/charge-rule.ts). Named parameters @from and @to.
 */
export const POSSIBLE_CHARGES_SQL = `SELECT COALESCE(SUM(usd), 0) AS usd, COUNT(*) AS jobs FROM (
  SELECT estimated_cost_usd AS usd FROM jobs
  WHERE state = 'needs_attention' AND provider = 'fal' AND fal_request_id IS NULL AND submit_started_at IS NOT NULL
    AND error_code IS NOT '${NOT_RECEIVED_CODE}' AND submit_started_at >= @from AND submit_started_at < @to
  UNION ALL
  SELECT estimated_cost_usd FROM job_past_sends WHERE status = 'uncertain' AND sent_at >= @from AND sent_at < @to
  UNION ALL
  SELECT s.usd FROM spend s WHERE s.at >= @from AND s.at < @to AND ${ESTIMATE_ONLY_POSSIBLE_SQL})`;

/** Possible charges (POSSIBLE_CHARGES_SQL) between two times (epoch ms): USD at their estimates, and how many sends. */
export function possibleCharges(ctx: StoreContext, from: number, to: number): { usd: number; jobs: number } {
  const raw = ctx.stmt(POSSIBLE_CHARGES_SQL).get({ from, to }) as Raw;
  return { usd: Number(raw.usd) || 0, jobs: Number(raw.jobs) || 0 };
}

/** Spend recorded at submission between two times (epoch ms), in USD; estimates only possible (charge-rule.ts) are not in it. */
export function spendBetween(ctx: StoreContext, from: number, to: number): number {
  const raw = ctx.stmt(`SELECT COALESCE(SUM(s.usd), 0) AS total FROM spend s WHERE s.at >= ? AND s.at < ? AND NOT ${ESTIMATE_ONLY_POSSIBLE_SQL}`).get(from, to) as Raw;
  return Number(raw.total);
}
