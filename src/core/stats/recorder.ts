// Writes request statistics. The engine calls this where a FAL request's outcome is known; each
// outcome is one row in fal_requests, and triggers (migration 6) keep the day sums the reports read,
// also when FAL's real cost for a request arrives later (real_costs, src/core/spend); a request that
// ends again is counted by its latest outcome (SUPERSEDE_EARLIER). A failure to
// record is logged and never touches the job.
import type { Database } from 'better-sqlite3';
import { statementCache } from '../db/statements';
import type { RequestStatus } from '../../shared/stats';
import { localDay } from './day';
import { errorMessage } from '../util/errors';

export interface RequestOutcome {
  jobId: string;
  endpoint: string;
  /** FAL's request id; null when the submit itself failed or its answer was lost. */
  requestId: string | null;
  status: RequestStatus;
  /** classify.ts code (server_error, run_failed, ...) or the runner's own (submit_uncertain, ...). */
  errorType?: string | null;
  /** When the submit was sent (epoch ms). */
  startedAt: number;
  finishedAt: number;
  /** FAL's `X-Fal-Billable-Units` answer header, when it came. */
  billableUnits?: number | null;
  estimatedCostUsd?: number | null;
  /** Known only with FAL's billing records (see setRealCost). */
  realCostUsd?: number | null;
}

/** The narrow interface the engine sees. */
export interface StatsRecorder {
  recordRequestOutcome(outcome: RequestOutcome): void;
  /** One 429 answer from FAL for this endpoint. */
  recordRateLimit(endpoint: string, at?: number): void;
}

export interface StatsWriter extends StatsRecorder {
  /** Attaches FAL's billed cost to a recorded request; returns how many requests it updated. */
  setRealCost(requestId: string, usd: number): number;
}

interface WarnLogger {
  warn(message: string, ...details: unknown[]): void;
}

const INSERT_REQUEST = `INSERT INTO fal_requests
  (job_id, endpoint, request_id, status, error_type, started_at, finished_at, duration_ms, day, billable_units, estimated_cost_usd, real_cost_usd)
  VALUES (@jobId, @endpoint, @requestId, @status, @errorType, @startedAt, @finishedAt, @durationMs, @day, @units, @estimated, @real)`;

/**
 * An uncertain submit FAL turned out to have received (reconciliation adopted its request) is the
 * same request as the job's later outcome: its "uncertain" row is taken back, so one FAL request
 * counts once. Matched by job and send time; a confirmed resend is a new send (a new time) and keeps it.
 */
export const FORGET_UNCERTAIN_SEND = `DELETE FROM fal_requests
  WHERE job_id = ? AND status = 'uncertain' AND request_id IS NULL AND started_at = ?`;

/**
 * An uncertain send is counted once, and only while it is unsettled. Its row is written just after
 * the commit that set the job aside, in a transaction of its own; in between, another process on the
 * same folder may have settled the send - adopted FAL's request for it (the job holds a request id
 * with that send time: the adopted outcome counts it) or proven FAL never received it (the check's
 * evidence) - and taken back a row that was not there yet; or recorded it already. Then nothing is
 * written. (A send set aside by a resend stays uncertain: FAL may still have it.)
 */
const UNCERTAIN_ALREADY_COUNTED = `SELECT 1 FROM fal_requests WHERE job_id = @jobId AND status = 'uncertain' AND started_at = @startedAt AND request_id IS @requestId`;
const UNCERTAIN_SEND_SETTLED = `SELECT 1 FROM jobs WHERE id = @jobId AND submit_started_at = @startedAt AND fal_request_id IS NOT NULL
  UNION ALL SELECT 1 FROM submit_checks WHERE job_id = @jobId AND sent_at = @startedAt AND status IN ('found', 'absent')`;

/**
 * One FAL request can end twice (a model download that failed, then a free Download again of the same
 * request): FAL charged it once, so its cost (estimate, units, real cost) lives on its latest outcome only.
 * The earlier outcomes' costs move to the new row (the day sums follow by trigger); whether the estimate
 * is spent follows the spend rule, "spent if any outcome spends it" (charge-rule.ts endedUnspentSql).
 */
const EARLIER_COSTS = `SELECT MAX(estimated_cost_usd) AS estimated, MAX(real_cost_usd) AS real, MAX(billable_units) AS units
  FROM fal_requests WHERE request_id = ?`;
const TAKE_EARLIER_COSTS = `UPDATE fal_requests SET estimated_cost_usd = NULL, real_cost_usd = NULL, billable_units = NULL
  WHERE request_id = ? AND (estimated_cost_usd IS NOT NULL OR real_cost_usd IS NOT NULL OR billable_units IS NOT NULL)`;
/**
 * The request itself is counted once too, by its latest outcome: the earlier ones stay in fal_requests (the
 * spend rule reads them all) but leave Stats' day sums (migration 28's trigger), so a download that failed
 * and a Download again that got the model are one succeeded request, not one failed and one succeeded.
 */
const SUPERSEDE_EARLIER = `UPDATE fal_requests SET superseded = 1 WHERE request_id = ? AND superseded = 0 AND id <> ?`;

const ADD_RATE_LIMIT = `INSERT INTO fal_rate_limit_days (day, endpoint, hits) VALUES (?, ?, 1)
  ON CONFLICT (day, endpoint) DO UPDATE SET hits = hits + 1`;

const moneyOrNull = (value: number | null | undefined) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null);

export function createStatsRecorder(db: Database, opts: { now?: () => number; logger?: WarnLogger } = {}): StatsWriter {
  const sql = statementCache(db);
  const now = opts.now ?? Date.now;
  const guarded = (what: string, write: () => void) => {
    try {
      write();
    } catch (error) {
      opts.logger?.warn(`stats: could not record ${what}`, errorMessage(error));
    }
  };

  // Immediate: no billing record can slip in between reading real_costs and inserting the request.
  const insertOutcome = db.transaction((o: RequestOutcome) => {
    if (!Number.isFinite(o.finishedAt) || !Number.isFinite(o.startedAt)) throw new Error('the times are not numbers');
    const finishedAt = Math.round(o.finishedAt);
    const durationMs = Math.max(0, finishedAt - Math.round(o.startedAt));
    // An outcome with FAL's request id ends the send that may have been counted as uncertain.
    if (o.requestId !== null && o.status !== 'uncertain') sql(FORGET_UNCERTAIN_SEND).run(o.jobId, Math.round(o.startedAt));
    if (o.status === 'uncertain') {
      const send = { jobId: o.jobId, startedAt: finishedAt - durationMs, requestId: o.requestId };
      if (sql(UNCERTAIN_ALREADY_COUNTED).get(send)) return;
      if (o.requestId === null && sql(UNCERTAIN_SEND_SETTLED).get({ jobId: o.jobId, startedAt: Math.round(o.startedAt) })) return;
    }
    // What FAL already reported for this request (units on its result answer, a billing event).
    const known = o.requestId
      ? (sql('SELECT units, usd FROM real_costs WHERE request_id = ?').get(o.requestId) as { units: number | null; usd: number | null } | undefined)
      : undefined;
    const earlier = o.requestId
      ? (sql(EARLIER_COSTS).get(o.requestId) as { estimated: number | null; real: number | null; units: number | null })
      : undefined;
    if (o.requestId) sql(TAKE_EARLIER_COSTS).run(o.requestId);
    const inserted = sql(INSERT_REQUEST).run({
      jobId: o.jobId,
      endpoint: o.endpoint,
      requestId: o.requestId,
      status: o.status,
      errorType: o.errorType ?? null,
      startedAt: finishedAt - durationMs,
      finishedAt,
      durationMs,
      day: localDay(finishedAt),
      units: moneyOrNull(o.billableUnits) ?? known?.units ?? earlier?.units ?? null,
      estimated: moneyOrNull(o.estimatedCostUsd) ?? earlier?.estimated ?? null,
      real: moneyOrNull(o.realCostUsd) ?? known?.usd ?? earlier?.real ?? null,
    });
    if (o.requestId) sql(SUPERSEDE_EARLIER).run(o.requestId, inserted.lastInsertRowid);
  });

  return {
    recordRequestOutcome(outcome) {
      guarded('a request outcome', () => insertOutcome.immediate(outcome));
    },
    recordRateLimit(endpoint, at = now()) {
      guarded('a rate limit', () => {
        sql(ADD_RATE_LIMIT).run(localDay(at), endpoint);
      });
    },
    setRealCost(requestId, usd) {
      const value = moneyOrNull(usd);
      // The day sums follow by trigger.
      // On the request's latest outcome only: the one that carries its cost (EARLIER_COSTS).
      return value === null
        ? 0
        : sql('UPDATE fal_requests SET real_cost_usd = ? WHERE id = (SELECT MAX(id) FROM fal_requests WHERE request_id = ?)').run(value, requestId).changes;
    },
  };
}
