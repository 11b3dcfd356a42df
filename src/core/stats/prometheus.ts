// The stats report in Prometheus text exposition format (version 0.0.4), for users who scrape:
// counters end in _total, the duration histogram has cumulative _bucket{le}, _sum and _count.
import { DURATION_BUCKETS_S, REQUEST_STATUSES, type StatsReport } from '../../shared/stats';

const PREFIX = 'image2model_fal';

type Labels = Record<string, string>;

export function toPrometheus(report: StatsReport): string {
  const out: string[] = [];
  const family = (name: string, type: 'counter' | 'histogram', help: string, samples: string[]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  };

  family(
    `${PREFIX}_requests_total`,
    'counter',
    'FAL requests by model endpoint and outcome.',
    report.models.flatMap((m) => REQUEST_STATUSES.map((status) => sample(`${PREFIX}_requests_total`, { endpoint: m.endpoint, status }, m[status]))),
  );

  const duration = `${PREFIX}_request_duration_seconds`;
  family(
    duration,
    'histogram',
    'Time from submitting a FAL request to its outcome, in seconds.',
    report.models.flatMap((m) => {
      let cumulative = 0;
      const buckets = DURATION_BUCKETS_S.map((le, i) => {
        cumulative += m.durationBuckets[i] ?? 0;
        return sample(`${duration}_bucket`, { endpoint: m.endpoint, le: String(le) }, cumulative);
      });
      return [
        ...buckets,
        sample(`${duration}_bucket`, { endpoint: m.endpoint, le: '+Inf' }, m.requests),
        sample(`${duration}_sum`, { endpoint: m.endpoint }, m.durationSumS),
        sample(`${duration}_count`, { endpoint: m.endpoint }, m.requests),
      ];
    }),
  );

  family(
    `${PREFIX}_errors_total`,
    'counter',
    'FAL requests that ended with an error, by error type.',
    report.errors.map((e) => sample(`${PREFIX}_errors_total`, { endpoint: e.endpoint, error_type: e.errorType }, e.count)),
  );

  family(
    `${PREFIX}_rate_limits_total`,
    'counter',
    'HTTP 429 answers from FAL (each one counted).',
    report.models.map((m) => sample(`${PREFIX}_rate_limits_total`, { endpoint: m.endpoint }, m.rateLimits)),
  );

  family(
    `${PREFIX}_billable_units_total`,
    'counter',
    'Units FAL reported as billable (X-Fal-Billable-Units).',
    report.models.map((m) => sample(`${PREFIX}_billable_units_total`, { endpoint: m.endpoint }, m.billableUnits)),
  );

  family(
    `${PREFIX}_cost_usd_total`,
    'counter',
    'Money spent on FAL requests in USD: real where FAL billed it, else the estimate.',
    report.models.flatMap((m) => [
      sample(`${PREFIX}_cost_usd_total`, { endpoint: m.endpoint, source: 'real' }, m.realUsd),
      sample(`${PREFIX}_cost_usd_total`, { endpoint: m.endpoint, source: 'estimate' }, m.estimatedUsd),
    ]),
  );

  return out.join('\n') + '\n';
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, v]) => `${key}="${escapeLabel(v)}"`);
  return `${name}{${pairs.join(',')}} ${formatValue(value)}`;
}

/** Label values escape backslash, double quote and line feed. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
