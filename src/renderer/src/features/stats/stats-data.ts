// Pure shaping of the stats report for the charts: totals, one histogram for all models, errors by
// type, a day for every day of the range, and plain-words labels.
import { DURATION_BUCKETS_S, type StatsReport } from '../../../../shared/stats';
import { shorten } from '../../../../shared/text-cut';

export type RangeKey = '7d' | '30d' | '90d' | 'all';

export const RANGES: { key: RangeKey; label: string; days: number | null }[] = [
  { key: '7d', label: '7 days', days: 7 },
  { key: '30d', label: '30 days', days: 30 },
  { key: '90d', label: '90 days', days: 90 },
  { key: 'all', label: 'All time', days: null },
];

/** Start of the local day `days - 1` days before `now` (today counts as one), or undefined for all. */
export function rangeStart(key: RangeKey, now: number): number | undefined {
  const days = RANGES.find((r) => r.key === key)?.days ?? null;
  if (days === null) return undefined;
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - (days - 1)).getTime();
}

export interface Totals {
  requests: number;
  succeeded: number;
  failed: number;
  canceled: number;
  uncertain: number;
  rateLimits: number;
  estimatedUsd: number;
  realUsd: number;
  durationSumS: number;
}

export function totalsOf(report: StatsReport): Totals {
  const t: Totals = { requests: 0, succeeded: 0, failed: 0, canceled: 0, uncertain: 0, rateLimits: 0, estimatedUsd: 0, realUsd: 0, durationSumS: 0 };
  for (const m of report.models) {
    t.requests += m.requests;
    t.succeeded += m.succeeded;
    t.failed += m.failed;
    t.canceled += m.canceled;
    t.uncertain += m.uncertain;
    t.rateLimits += m.rateLimits;
    t.estimatedUsd += m.estimatedUsd;
    t.realUsd += m.realUsd;
    t.durationSumS += m.durationSumS;
  }
  return t;
}

/** The duration histogram of all models together, with bucket labels. */
export function durationHistogram(report: StatsReport): { label: string; title: string; count: number }[] {
  const counts = new Array<number>(DURATION_BUCKETS_S.length + 1).fill(0);
  for (const m of report.models) m.durationBuckets.forEach((n, i) => (counts[i] = (counts[i] ?? 0) + n));
  return counts.map((count, i) => {
    const upper = DURATION_BUCKETS_S[i];
    const lower = i === 0 ? 0 : DURATION_BUCKETS_S[i - 1]!;
    if (upper === undefined) return { label: `>${short(lower)}`, title: `longer than ${long(lower)}`, count };
    return { label: `≤${short(upper)}`, title: i === 0 ? `up to ${long(upper)}` : `${long(lower)} to ${long(upper)}`, count };
  });
}

const short = (s: number) => (s < 60 ? `${s}s` : `${s / 60}m`);
const long = (s: number) => (s < 60 ? `${s} s` : `${s / 60} min`);

/** Errors summed over models, most frequent first. */
export function errorsByType(report: StatsReport): { errorType: string; count: number }[] {
  const byType = new Map<string, number>();
  for (const e of report.errors) byType.set(e.errorType, (byType.get(e.errorType) ?? 0) + e.count);
  return [...byType].map(([errorType, count]) => ({ errorType, count })).sort((a, b) => b.count - a.count || a.errorType.localeCompare(b.errorType));
}

const ERROR_LABELS: Record<string, string> = {
  server_error: 'FAL server error',
  connection_lost: 'Connection lost',
  timeout: 'No answer in time',
  run_failed: 'Generation failed',
  invalid_input: 'Settings rejected',
  request_not_found: 'Forgotten by FAL',
  result_expired: 'Result expired',
  result_too_large: 'Result too large',
  fal_error: 'Other FAL error',
  fal_timeout: 'Ran past time limit',
  key_rejected: 'Key refused',
  balance_used_up: 'Balance used up',
  submit_uncertain: 'Submit answer lost',
  submit_interrupted: 'Stopped while sending',
  unexpected_output: 'Unusable answer',
  invalid_result: 'Invalid model file',
  internal: 'Problem on this computer',
  canceled_after_finish: 'Canceled after FAL made it',
  result_unread: 'Canceled, result not read',
};

export function errorLabel(errorType: string): string {
  return ERROR_LABELS[errorType] ?? errorType.replace(/_/g, ' ');
}

/** One entry per local day from the first day with data (or the range start) to the last, gaps as 0. */
export function spendSeries(report: StatsReport, from: number | undefined, now: number): { day: string; usd: number; estimated: boolean }[] {
  const byDay = new Map(report.spendByDay.map((d) => [d.day, d]));
  const first = from !== undefined ? dayKey(from) : report.spendByDay[0]?.day;
  if (!first) return [];
  const last = dayKey(now);
  const out: { day: string; usd: number; estimated: boolean }[] = [];
  const [y, m, d] = first.split('-').map(Number) as [number, number, number];
  for (let i = 0; out.length < 3660; i++) {
    const key = dayKey(new Date(y, m - 1, d + i).getTime());
    if (key > last) break;
    const entry = byDay.get(key);
    out.push({ day: key, usd: entry ? entry.estimatedUsd + entry.realUsd : 0, estimated: (entry?.estimatedUsd ?? 0) > 0 });
  }
  return out;
}

export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** "Mar 10" for a `YYYY-MM-DD` key. */
export function formatDay(key: string): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  return dayFormat.format(new Date(y, m - 1, d));
}

/** A pleasant axis maximum and ticks for values up to `max` (e.g. 0, 5, 10, 15). */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 1 / ticks };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return { max: step * Math.ceil(max / step), step };
}

/**
 * A chart's row label: at most `length` characters as people count them, a cut one ending in "…"
 * straight after the last character kept (never "word …", never half an emoji).
 */
export function chartLabel(text: string, length: number): string {
  return shorten(text, length, '…');
}
