import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { createStatsReader, createStatsRecorder, type StatsReader, type StatsWriter } from '../../../src/core/stats';
import { REPORT_QUERIES } from '../../../src/core/stats/report';
import { toPrometheus } from '../../../src/core/stats';
import { CostStore } from '../../../src/core/spend/costs';
import { DURATION_BUCKETS_S, StatsReportSchema } from '../../../src/shared/stats';
import { TRELLIS, TRIPO, dayAt, outcome } from './fixtures';

let db: Db;
let recorder: StatsWriter;
let reader: StatsReader;
beforeEach(() => {
  db = openDatabase(':memory:');
  recorder = createStatsRecorder(db, { now: () => dayAt(0) });
  reader = createStatsReader(db);
});
afterEach(() => db.close());

describe('stats report', () => {
  it('is empty before any request', () => {
    expect(reader.report()).toEqual({ from: null, to: null, models: [], errors: [], spendByDay: [] });
  });

  it('counts requests and failures per model, busiest model first', () => {
    recorder.recordRequestOutcome(outcome({ endpoint: TRIPO }));
    for (let i = 0; i < 3; i++) recorder.recordRequestOutcome(outcome());
    recorder.recordRequestOutcome(outcome({ status: 'failed', errorType: 'run_failed', estimatedCostUsd: null }));
    recorder.recordRequestOutcome(outcome({ status: 'canceled', requestId: 'r9' }));
    recorder.recordRequestOutcome(outcome({ status: 'uncertain', requestId: null, errorType: 'submit_uncertain' }));

    const report = StatsReportSchema.parse(reader.report());
    expect(report.models.map((m) => [m.endpoint, m.requests, m.succeeded, m.failed, m.canceled, m.uncertain])).toEqual([
      [TRELLIS, 6, 3, 1, 1, 1],
      [TRIPO, 1, 1, 0, 0, 0],
    ]);
    expect(report.errors).toEqual([
      { endpoint: TRELLIS, errorType: 'run_failed', count: 1 },
      { endpoint: TRELLIS, errorType: 'submit_uncertain', count: 1 },
    ]);
  });

  it('puts each duration in its bucket (upper bound inclusive) and sums the seconds', () => {
    const durations = [0.5, 1, 1.001, 5, 30, 59, 61, 300, 600, 601, 3600];
    for (const durationS of durations) recorder.recordRequestOutcome(outcome({ durationS }));
    const [model] = reader.report().models;
    expect(DURATION_BUCKETS_S).toEqual([1, 5, 10, 30, 60, 120, 300, 600]);
    //                               <=1 <=5 <=10 <=30 <=60 <=120 <=300 <=600 +Inf
    expect(model?.durationBuckets).toEqual([2, 2, 0, 1, 1, 1, 1, 1, 2]);
    expect(model?.durationSumS).toBeCloseTo(durations.reduce((a, b) => a + b, 0), 3);
  });

  it('counts every rate limit, also for models with no finished request', () => {
    recorder.recordRequestOutcome(outcome());
    recorder.recordRateLimit(TRELLIS);
    recorder.recordRateLimit(TRELLIS);
    recorder.recordRateLimit(TRIPO);
    const models = reader.report().models;
    expect(models.find((m) => m.endpoint === TRELLIS)?.rateLimits).toBe(2);
    expect(models.find((m) => m.endpoint === TRIPO)).toMatchObject({ requests: 0, rateLimits: 1 });
  });

  it('sums spend per local day, real cost replacing the estimate once known', () => {
    recorder.recordRequestOutcome(outcome({ finishedAt: dayAt(0), requestId: 'a', estimatedCostUsd: 0.1 }));
    recorder.recordRequestOutcome(outcome({ finishedAt: dayAt(0, 60_000), requestId: 'b', estimatedCostUsd: 0.2 }));
    recorder.recordRequestOutcome(outcome({ finishedAt: dayAt(2), requestId: 'c', estimatedCostUsd: 0.3, billableUnits: 1.5 }));
    recorder.recordRequestOutcome(outcome({ finishedAt: dayAt(2), requestId: 'd', status: 'failed', estimatedCostUsd: null }));
    expect(recorder.setRealCost('c', 0.25)).toBe(1);
    expect(recorder.setRealCost('unknown', 1)).toBe(0);

    const report = reader.report();
    expect(report.spendByDay).toEqual([
      { day: '2026-03-10', requests: 2, estimatedUsd: 0.3, realUsd: 0 },
      { day: '2026-03-12', requests: 2, estimatedUsd: 0, realUsd: 0.25 },
    ]);
    expect(report.models[0]).toMatchObject({ estimatedUsd: 0.3, realUsd: 0.25, billableUnits: 1.5 });
  });

  it('takes FAL\'s reported units and real cost, before or after the outcome is recorded', () => {
    const costs = new CostStore(db);
    // Units came on the result answer before the job ended (X-Fal-Billable-Units).
    costs.record({ requestId: 'early', jobId: 'job-1', endpoint: TRELLIS, at: dayAt(0), units: 3, usd: null, source: 'units_header' });
    recorder.recordRequestOutcome(outcome({ requestId: 'early', estimatedCostUsd: 0.2 }));
    recorder.recordRequestOutcome(outcome({ requestId: 'late', estimatedCostUsd: 0.3 }));
    recorder.recordRequestOutcome(outcome({ requestId: 'free', estimatedCostUsd: 0.4 }));
    expect(reader.report().models[0]).toMatchObject({ billableUnits: 3, estimatedUsd: 0.9, realUsd: 0 });

    // The billing sync learns what FAL charged (another process may do this: it is all in SQL).
    costs.record({ requestId: 'late', jobId: 'job-1', endpoint: TRELLIS, at: dayAt(0), units: 1, usd: 0.25, source: 'billing_event' });
    costs.record({ requestId: 'free', jobId: 'job-1', endpoint: TRELLIS, at: dayAt(0), units: 0, usd: 0, source: 'no_charge' });
    costs.record({ requestId: 'early', jobId: 'job-1', endpoint: TRELLIS, at: dayAt(0), units: 3, usd: 0.21, source: 'billing_event' });
    const report = reader.report();
    expect(report.models[0]).toMatchObject({ billableUnits: 4, estimatedUsd: 0, realUsd: 0.46 });
    expect(report.spendByDay).toEqual([{ day: '2026-03-10', requests: 3, estimatedUsd: 0, realUsd: 0.46 }]);
    const text = toPrometheus(report);
    expect(text).toContain(`image2model_fal_cost_usd_total{endpoint="${TRELLIS}",source="real"} 0.46`);
    expect(text).toContain(`image2model_fal_billable_units_total{endpoint="${TRELLIS}"} 4`);
  });

  it('keeps to the local days the asked window [from, to) touches', () => {
    recorder.recordRequestOutcome(outcome({ finishedAt: dayAt(0) }));
    recorder.recordRequestOutcome(outcome({ finishedAt: dayAt(1), status: 'failed', errorType: 'server_error' }));
    recorder.recordRateLimit(TRELLIS, dayAt(0));
    recorder.recordRateLimit(TRELLIS, dayAt(1));
    const midnight = (date: number) => new Date(2026, 2, date).getTime();
    const report = reader.report({ from: midnight(11), to: midnight(12) });
    expect(report).toMatchObject({ from: midnight(11), to: midnight(12) });
    expect(report.models).toEqual([expect.objectContaining({ requests: 1, failed: 1, rateLimits: 1 })]);
    expect(report.errors).toEqual([{ endpoint: TRELLIS, errorType: 'server_error', count: 1 }]);
    expect(report.spendByDay.map((d) => d.day)).toEqual(['2026-03-11']);
    expect(reader.report({ to: midnight(11) }).models[0]).toMatchObject({ requests: 1, succeeded: 1, rateLimits: 1 });
  });

  it('keeps every request itself, and the day sums agree with the requests', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    const statuses = ['succeeded', 'failed', 'canceled', 'uncertain'] as const;
    for (let i = 0; i < 300; i++) {
      const status = statuses[Math.floor(random() * 4)]!;
      recorder.recordRequestOutcome(
        outcome({
          requestId: `r${i}`,
          endpoint: random() < 0.5 ? TRELLIS : TRIPO,
          status,
          errorType: status === 'failed' ? (random() < 0.5 ? 'run_failed' : 'server_error') : null,
          finishedAt: dayAt(Math.floor(random() * 5), Math.floor(random() * 3_600_000)),
          durationS: random() * 900,
          estimatedCostUsd: status === 'succeeded' ? 0.3 : null,
        }),
      );
    }
    recorder.setRealCost('r3', 0.5);
    const rows = db.prepare('SELECT endpoint, status, error_type AS errorType, duration_ms AS ms, estimated_cost_usd AS est, real_cost_usd AS real FROM fal_requests').all() as {
      endpoint: string; status: string; errorType: string | null; ms: number; est: number | null; real: number | null;
    }[];
    expect(rows).toHaveLength(300);
    const report = reader.report();
    for (const model of report.models) {
      const mine = rows.filter((r) => r.endpoint === model.endpoint);
      expect(model.requests).toBe(mine.length);
      expect(model.failed).toBe(mine.filter((r) => r.status === 'failed').length);
      expect(model.durationBuckets.reduce((a, b) => a + b, 0)).toBe(mine.length);
      expect(model.durationBuckets[8]).toBe(mine.filter((r) => r.ms > 600_000).length);
      expect(model.durationSumS).toBeCloseTo(mine.reduce((sum, r) => sum + r.ms, 0) / 1000, 3);
      expect(model.estimatedUsd + model.realUsd).toBeCloseTo(mine.reduce((sum, r) => sum + (r.real ?? r.est ?? 0), 0), 6);
    }
    const spent = report.spendByDay.reduce((sum, d) => sum + d.estimatedUsd + d.realUsd, 0);
    expect(spent).toBeCloseTo(rows.reduce((sum, r) => sum + (r.real ?? r.est ?? 0), 0), 6);
    expect(report.errors.reduce((sum, e) => sum + e.count, 0)).toBe(rows.filter((r) => r.errorType !== null).length);
  });

  it('never throws into the engine: a broken write is logged and dropped', () => {
    const warnings: string[] = [];
    const broken = createStatsRecorder(db, { logger: { warn: (message) => warnings.push(message) } });
    db.exec('DROP TABLE fal_rate_limit_days');
    expect(() => broken.recordRateLimit(TRELLIS)).not.toThrow();
    expect(() => broken.recordRequestOutcome(outcome({ finishedAt: Number.NaN }))).not.toThrow();
    expect(warnings).toEqual(['stats: could not record a rate limit', 'stats: could not record a request outcome']);
    expect(db.prepare('SELECT COUNT(*) FROM fal_requests').pluck().get()).toBe(0);
  });

  it('every aggregate query reads a day table by its key, never the requests', () => {
    for (const [name, sql] of Object.entries(REPORT_QUERIES)) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ fromDay: '2026-01-01', toDay: '2026-02-01' }) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
      expect(plan, name).toMatch(/SEARCH fal_(request|rate_limit)_days USING PRIMARY KEY \(day>\? AND day<\?\)/);
      expect(plan, name).not.toContain('fal_requests');
    }
  });
});
