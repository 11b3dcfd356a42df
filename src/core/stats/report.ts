// Aggregate queries for the Stats view and `image2model stats`. They read the day sums (one row per
// local day, model and outcome), not the requests, so they stay fast at 100k requests
// (bench/stats.bench.ts). A time range therefore counts whole local days: those it touches.
import type { Database } from 'better-sqlite3';
import { statementCache } from '../db/statements';
import { DURATION_BUCKETS_S, type ModelStats, type StatsQuery, type StatsReport } from '../../shared/stats';
import { BUCKET_COLUMNS, localDay } from './day';

const DAYS = 'day >= @fromDay AND day <= @toDay';

const PER_MODEL = `SELECT endpoint,
    SUM(requests) AS requests,
    SUM(CASE WHEN status = 'succeeded' THEN requests ELSE 0 END) AS succeeded,
    SUM(CASE WHEN status = 'failed' THEN requests ELSE 0 END) AS failed,
    SUM(CASE WHEN status = 'canceled' THEN requests ELSE 0 END) AS canceled,
    SUM(CASE WHEN status = 'uncertain' THEN requests ELSE 0 END) AS uncertain,
    ${BUCKET_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ')},
    TOTAL(duration_ms) / 1000.0 AS durationSumS,
    TOTAL(billable_units) AS billableUnits,
    TOTAL(estimated_usd) AS estimatedUsd,
    TOTAL(real_usd) AS realUsd
  FROM fal_request_days WHERE ${DAYS} GROUP BY endpoint`;

const ERRORS = `SELECT endpoint, error_type AS errorType, SUM(requests) AS count
  FROM fal_request_days WHERE ${DAYS} AND error_type <> ''
  GROUP BY endpoint, error_type ORDER BY count DESC, endpoint, error_type`;

const RATE_LIMITS = `SELECT endpoint, SUM(hits) AS count FROM fal_rate_limit_days WHERE ${DAYS} GROUP BY endpoint`;

const SPEND_BY_DAY = `SELECT day, SUM(requests) AS requests, TOTAL(estimated_usd) AS estimatedUsd, TOTAL(real_usd) AS realUsd
  FROM fal_request_days WHERE ${DAYS} GROUP BY day ORDER BY day`;

/** The aggregate queries, exported so a test can check their plans. */
export const REPORT_QUERIES = { PER_MODEL, ERRORS, RATE_LIMITS, SPEND_BY_DAY } as const;

type ModelRow = Omit<ModelStats, 'durationBuckets' | 'rateLimits'> & Record<string, number>;

export interface StatsReader {
  report(query?: StatsQuery): StatsReport;
}

export function createStatsReader(db: Database): StatsReader {
  const sql = statementCache(db);
  return {
    report(query) {
      const from = query?.from ?? null;
      const to = query?.to ?? null;
      const params = {
        fromDay: from === null ? '0000-00-00' : localDay(from),
        toDay: to === null ? '9999-99-99' : localDay(Math.max(0, to - 1)),
      };
      // One read transaction: the answers describe the same moment.
      return db.transaction(() => {
        const rows = sql(PER_MODEL).all(params) as ModelRow[];
        const limits = sql(RATE_LIMITS).all(params) as { endpoint: string; count: number }[];
        const errors = sql(ERRORS).all(params) as StatsReport['errors'];
        const spendByDay = sql(SPEND_BY_DAY).all(params) as StatsReport['spendByDay'];
        return {
          from,
          to,
          models: mergeModels(rows, limits),
          errors,
          spendByDay: spendByDay.map((d) => ({ ...d, estimatedUsd: roundUsd(d.estimatedUsd), realUsd: roundUsd(d.realUsd) })),
        };
      })();
    },
  };
}

function mergeModels(rows: ModelRow[], limits: { endpoint: string; count: number }[]): ModelStats[] {
  const byEndpoint = new Map<string, ModelStats>();
  for (const row of rows) {
    byEndpoint.set(row.endpoint, {
      endpoint: row.endpoint,
      requests: row.requests,
      succeeded: row.succeeded,
      failed: row.failed,
      canceled: row.canceled,
      uncertain: row.uncertain,
      durationBuckets: BUCKET_COLUMNS.map((c) => row[c] ?? 0),
      durationSumS: row.durationSumS,
      rateLimits: 0,
      billableUnits: row.billableUnits,
      estimatedUsd: roundUsd(row.estimatedUsd),
      realUsd: roundUsd(row.realUsd),
    });
  }
  for (const { endpoint, count } of limits) {
    const model = byEndpoint.get(endpoint) ?? emptyModel(endpoint);
    model.rateLimits = count;
    byEndpoint.set(endpoint, model);
  }
  return [...byEndpoint.values()].sort((a, b) => b.requests - a.requests || a.endpoint.localeCompare(b.endpoint));
}

export function emptyModel(endpoint: string): ModelStats {
  return {
    endpoint,
    requests: 0,
    succeeded: 0,
    failed: 0,
    canceled: 0,
    uncertain: 0,
    durationBuckets: new Array<number>(DURATION_BUCKETS_S.length + 1).fill(0),
    durationSumS: 0,
    rateLimits: 0,
    billableUnits: 0,
    estimatedUsd: 0,
    realUsd: 0,
  };
}

/** Sums of floats drift (0.1 + 0.2); money is shown to the cent, kept to a millionth. */
function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
