import { getMetricsFromIterator, type PromData, type PromHistogramData, type PromMetrics } from 'prom2javascript';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { createStatsReader, createStatsRecorder, toPrometheus } from '../../../src/core/stats';
import { TRELLIS, TRIPO, outcome } from './fixtures';

// (A backslash too would be valid, but this parser unescapes "\\\\n" as a line feed.)
const ODD = 'odd/"quoted"';

function sampleReport() {
  const db = openDatabase(':memory:');
  const recorder = createStatsRecorder(db);
  recorder.recordRequestOutcome(outcome({ durationS: 0.5, billableUnits: 2 }));
  recorder.recordRequestOutcome(outcome({ durationS: 45 }));
  recorder.recordRequestOutcome(outcome({ durationS: 900, status: 'failed', errorType: 'server_error', estimatedCostUsd: null }));
  // A label value that needs escaping must survive the round trip.
  recorder.recordRequestOutcome(outcome({ endpoint: ODD, durationS: 3 }));
  recorder.recordRateLimit(TRELLIS);
  recorder.recordRateLimit(TRIPO);
  const report = createStatsReader(db).report();
  db.close();
  return report;
}

/** Parses with a Prometheus text-format parser (throws on a malformed line). */
const parse = (text: string): Promise<PromMetrics> => getMetricsFromIterator(text.split('\n')[Symbol.iterator]());

describe('toPrometheus', async () => {
  const text = toPrometheus(sampleReport());
  const metrics = await parse(text);
  const samples = (name: string) => {
    const found = metrics[name];
    if (!found) throw new Error(`no ${name} in\n${text}`);
    return found.data as PromData[];
  };

  it('parses as Prometheus text with HELP and TYPE for every family', () => {
    expect(Object.entries(metrics).map(([name, m]) => [name, m.type])).toEqual([
      ['image2model_fal_requests_total', 'counter'],
      ['image2model_fal_request_duration_seconds', 'histogram'],
      ['image2model_fal_errors_total', 'counter'],
      ['image2model_fal_rate_limits_total', 'counter'],
      ['image2model_fal_billable_units_total', 'counter'],
      ['image2model_fal_cost_usd_total', 'counter'],
    ]);
    for (const [name, m] of Object.entries(metrics)) expect(m.help, name).not.toBe('');
  });

  it('counts requests per endpoint and status', () => {
    const value = (endpoint: string, status: string) =>
      samples('image2model_fal_requests_total').find((m) => m.labels.endpoint === endpoint && m.labels.status === status)?.value;
    expect(value(TRELLIS, 'succeeded')).toBe(2);
    expect(value(TRELLIS, 'failed')).toBe(1);
    expect(value(TRELLIS, 'uncertain')).toBe(0);
    expect(value(ODD, 'succeeded')).toBe(1);
  });

  it('writes one duration histogram per endpoint: cumulative buckets, +Inf, sum and count', () => {
    const histograms = metrics.image2model_fal_request_duration_seconds?.data as PromHistogramData[];
    expect(histograms.map((h) => [h.labels.endpoint, h.count])).toEqual([[TRELLIS, 3], [ODD, 1], [TRIPO, 0]]);
    const trellis = histograms[0]!;
    expect(trellis.buckets).toEqual({ '1': 1, '5': 1, '10': 1, '30': 1, '60': 2, '120': 2, '300': 2, '600': 2, '+Inf': 3 });
    expect(trellis.count).toBe(3);
    expect(trellis.sum).toBeCloseTo(945.5, 3);
    expect(histograms[1]).toMatchObject({ count: 1, buckets: expect.objectContaining({ '1': 0, '5': 1, '+Inf': 1 }) });
  });

  it('has errors by type, each rate limit, billable units and cost', () => {
    expect(samples('image2model_fal_errors_total')).toEqual([{ labels: { endpoint: TRELLIS, error_type: 'server_error' }, value: 1 }]);
    const limits = samples('image2model_fal_rate_limits_total').map((m) => [m.labels.endpoint, m.value]);
    expect(limits).toEqual(expect.arrayContaining([[TRELLIS, 1], [TRIPO, 1], [ODD, 0]]));
    expect(samples('image2model_fal_billable_units_total').find((m) => m.labels.endpoint === TRELLIS)?.value).toBe(2);
    expect(samples('image2model_fal_cost_usd_total').filter((m) => m.labels.endpoint === TRELLIS)).toEqual([
      { labels: { endpoint: TRELLIS, source: 'real' }, value: 0 },
      { labels: { endpoint: TRELLIS, source: 'estimate' }, value: 0.04 },
    ]);
  });

  it('is still valid with no data at all', async () => {
    const empty = await parse(toPrometheus({ from: null, to: null, models: [], errors: [], spendByDay: [] }));
    expect(Object.values(empty).every((m) => m.data.length === 0)).toBe(true);
  });

  it('the parser used here does reject malformed text', async () => {
    await expect(parse('x_total{endpoint="a} 1\n')).rejects.toThrow();
  });
});
