// Local calendar days, the unit the statistics are summed by.
import { DURATION_BUCKETS_S } from '../../shared/stats';

/** `YYYY-MM-DD` of the moment in this machine's time zone. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Columns of the duration histogram in fal_request_days, in DURATION_BUCKETS_S order, then +Inf. */
export const BUCKET_COLUMNS: readonly string[] = [...DURATION_BUCKETS_S.map((s) => `le_${s}`), 'le_inf'];

const pad = (n: number) => String(n).padStart(2, '0');
