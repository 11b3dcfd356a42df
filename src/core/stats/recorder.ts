// Writes request statistics. The engine calls this where a FAL request's outcome is known; each
// outcome is one row in fal_requests plus its share of the day sums, in one transaction. A failure
// to record is logged and never touches the job.
import type { Database } from 'better-sqlite3';
import { statementCache } from '../db/statements';
import type { RequestStatus } from '../../shared/stats';
import { BUCKET_COLUMNS, bucketColumn, localDay } from './day';

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

/** One statement per histogram column: `+ 1` on the bucket the request fell in. */
const ADD_TO_DAY = Object.fromEntries(
  BUCKET_COLUMNS.map((column) => [
    column,
    `INSERT INTO fal_request_days (day, endpoint, status, error_type, requests, ${column}, duration_ms, billable_units, estimated_usd, real_usd)
     VALUES (@day, @endpoint, @status, @errorKey, 1, 1, @durationMs, @unitsOrZero, @estimatedOrZero, @realOrZero)
     ON CONFLICT (day, endpoint, status, error_type) DO UPDATE SET
       requests = requests + 1, ${column} = ${column} + 1, duration_ms = duration_ms + excluded.duration_ms,
       billable_units = billable_units + excluded.billable_units,
       estimated_usd = estimated_usd + excluded.estimated_usd, real_usd = real_usd + excluded.real_usd`,
  ]),
) as Record<string, string>;

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
      opts.logger?.warn(`stats: could not record ${what}`, error instanceof Error ? error.message : String(error));
    }
  };

  const insertOutcome = db.transaction((o: RequestOutcome) => {
    if (!Number.isFinite(o.finishedAt) || !Number.isFinite(o.startedAt)) throw new Error('the times are not numbers');
    const finishedAt = Math.round(o.finishedAt);
    const durationMs = Math.max(0, finishedAt - Math.round(o.startedAt));
    const units = moneyOrNull(o.billableUnits);
    const real = moneyOrNull(o.realCostUsd);
    const estimated = moneyOrNull(o.estimatedCostUsd);
    const row = {
      jobId: o.jobId,
      endpoint: o.endpoint,
      requestId: o.requestId,
      status: o.status,
      errorType: o.errorType ?? null,
      errorKey: o.errorType ?? '',
      startedAt: finishedAt - durationMs,
      finishedAt,
      durationMs,
      day: localDay(finishedAt),
      units,
      estimated,
      real,
      unitsOrZero: units ?? 0,
      estimatedOrZero: real === null ? (estimated ?? 0) : 0,
      realOrZero: real ?? 0,
    };
    sql(INSERT_REQUEST).run(row);
    sql(ADD_TO_DAY[bucketColumn(durationMs)]!).run(row);
  });

  const updateRealCost = db.transaction((requestId: string, usd: number): number => {
    const rows = sql(
      'SELECT id, day, endpoint, status, error_type AS errorType, estimated_cost_usd AS estimated, real_cost_usd AS real FROM fal_requests WHERE request_id = ?',
    ).all(requestId) as { id: number; day: string; endpoint: string; status: string; errorType: string | null; estimated: number | null; real: number | null }[];
    for (const r of rows) {
      // The day sum trades this request's estimate (or its previous real cost) for the new figure.
      const estimatedDelta = r.real === null ? -(r.estimated ?? 0) : 0;
      const realDelta = usd - (r.real ?? 0);
      sql('UPDATE fal_requests SET real_cost_usd = ? WHERE id = ?').run(usd, r.id);
      sql(
        `UPDATE fal_request_days SET estimated_usd = MAX(0, estimated_usd + ?), real_usd = MAX(0, real_usd + ?)
         WHERE day = ? AND endpoint = ? AND status = ? AND error_type = ?`,
      ).run(estimatedDelta, realDelta, r.day, r.endpoint, r.status, r.errorType ?? '');
    }
    return rows.length;
  });

  return {
    recordRequestOutcome(outcome) {
      guarded('a request outcome', () => insertOutcome(outcome));
    },
    recordRateLimit(endpoint, at = now()) {
      guarded('a rate limit', () => {
        sql(ADD_RATE_LIMIT).run(localDay(at), endpoint);
      });
    },
    setRealCost(requestId, usd) {
      const value = moneyOrNull(usd);
      return value === null ? 0 : updateRealCost(requestId, value);
    },
  };
}
