// One rule for what an ended FAL request's estimate counts as, read by both spend totals (the sidebar,
// Settings, the spending cap: costs.ts, queue/store-reads.ts) and the Stats view (stats/job-outcomes.ts):
// they disagreed on a job FAL failed with 422 ($1.22 spent in one, $0.85 in the other).
// FAL bills successful output only, but a run it failed (a 422 for bad input or content policy) may be
// charged if the runner already used GPU time, and a stopped run's billing is unconfirmed
// (FAL-PLATFORM.md). So such a request's estimate is spent nowhere: it is a possible charge - shown apart,
// counted against the cap - until FAL's billing records give its real cost (then that counts in both).
// A job that failed after FAL made its model (the download, an expired result) was charged: spent.
// So was a job canceled after FAL had finished it, even when its model could not be kept.
// A job whose status or result FAL's queue never answered after its retries (5xx, a cut connection, no
// answer in time) is not known to have run or failed: FAL bills a finished run and never a 5xx error
// (FAL-PLATFORM.md), so it is a possible charge until FAL's records settle it - not spent.
import type { RequestStatus } from '../../shared/stats';

/** The failure codes (fal/classify.ts) of a run FAL itself failed or refused: no model was made. */
export const FAL_RUN_FAILED_CODES = ['invalid_input', 'run_failed', 'fal_error', 'fal_timeout', 'request_not_found'] as const;

/**
 * The failure codes (classify.ts, transient) of a job that gave up asking FAL's queue about its request:
 * whether FAL finished (and charged) it is not known. A model FAL made that could not be downloaded
 * ends `result_download_failed` instead (engine/policy.ts): charged.
 */
export const FAL_UNANSWERED_CODES = ['server_error', 'connection_lost', 'timeout', 'result_unread'] as const;

/**
 * A cancel that came after FAL's status said COMPLETED, whose result could not be read (engine/cancel-steps.ts):
 * COMPLETED is also said of a run that failed, so whether FAL made (and charged) the model is not known.
 */
export const RESULT_UNREAD_CODE = 'result_unread' satisfies (typeof FAL_UNANSWERED_CODES)[number];

/** A cancel that came after FAL had finished the request (engine/cancel-steps.ts): FAL charged it. */
export const CANCELED_AFTER_FINISH_CODE = 'canceled_after_finish';

const NOT_SPENT_FAILURES: ReadonlySet<string> = new Set([...FAL_RUN_FAILED_CODES, ...FAL_UNANSWERED_CODES]);

/** Whether a request that ended so counts its estimate as spent (else it is at most a possible charge). */
export function estimateIsSpent(status: RequestStatus, errorType: string | null): boolean {
  if (status === 'succeeded') return true;
  if (status === 'failed') return errorType === null || !NOT_SPENT_FAILURES.has(errorType);
  // Canceled: billing of a stopped run is unconfirmed, unless FAL had finished it. Uncertain: a possible charge of its own.
  return status === 'canceled' && errorType === CANCELED_AFTER_FINISH_CODE;
}

const sqlList = (codes: Iterable<string>) => [...codes].map((c) => `'${c}'`).join(', ');
const OUTCOME_NOT_SPENT = `((f.status = 'canceled' AND f.error_type IS NOT '${CANCELED_AFTER_FINISH_CODE}') OR f.status = 'uncertain'
  OR (f.status = 'failed' AND COALESCE(f.error_type, '') IN (${sqlList(NOT_SPENT_FAILURES)})))`;

/**
 * SQL, true when the request in `column` ended without its estimate being spent (estimateIsSpent, on its
 * recorded outcomes in fal_requests): it has such an outcome and none that spends it (a request followed
 * again after a failure may have ended twice). A request still running, or with no outcome recorded, is spent.
 */
export const endedUnspentSql = (column: string): string =>
  `(EXISTS (SELECT 1 FROM fal_requests f WHERE f.request_id = ${column} AND ${OUTCOME_NOT_SPENT})
    AND NOT EXISTS (SELECT 1 FROM fal_requests f WHERE f.request_id = ${column} AND NOT ${OUTCOME_NOT_SPENT}))`;

/**
 * SQL, true for an estimate in `spend` (alias `s`) that is a possible charge, not spent: its request ended
 * without being spent (endedUnspentSql), FAL's real cost for it is not known yet, and FAL's request
 * history has not settled it (history-settle.ts: a run that finished is charged - its estimate is spent -
 * and one that ended in a server error or never started is not: a real cost of $0).
 */
export const ESTIMATE_ONLY_POSSIBLE_SQL = `(s.request_id IS NOT NULL AND ${endedUnspentSql('s.request_id')}
  AND NOT EXISTS (SELECT 1 FROM real_costs r WHERE r.request_id = s.request_id AND (r.usd IS NOT NULL OR r.source = 'request_history')))`;
