// Which of FAL's history rows a send may be, when it is due, and why a check could not be made: the
// reconciler's small pure rules (reconciler.ts runs the passes).
import type { PlatformError, RequestRow } from '../fal/platform-client';
import type { JobRow } from '../queue/store';
import type { WaitReason } from './messages';

export function reasonOf(error: unknown): WaitReason {
  const kind = (error as Partial<PlatformError>).kind;
  switch (kind) {
    case 'forbidden':
      return 'no_permission';
    case 'unauthorized':
      return 'key_rejected';
    case 'offline':
      return 'offline';
    case 'server':
    case 'rate_limited':
      return 'platform_down';
    default:
      return 'platform_error';
  }
}

/**
 * The latest the submit can have left: its send mark, or - when recovery found only the armed intent
 * (its mark lost with a power cut, queue/store-leases.ts: the send time is then the arm's, which may
 * be long before the POST) - when the job was found so. FAL's listing delay (settleMs) counts from then.
 */
export function latestSendAt(job: JobRow, checkedAt: number): number {
  return Math.max(job.submitStartedAt ?? checkedAt, job.finishedAt ?? 0);
}

/**
 * The rows a past send of a job may be: a job's sends carry the same input (a resend keeps the uploaded
 * image), so a row FAL received nearer another unsettled send of the same job (`rivals`) is that one's,
 * never the past send's - taken for it, the later send could never adopt its own request and would be
 * sent a third time. A row with no readable send time stays a candidate.
 */
export function rowsFor(sentAt: number, rivals: readonly number[], rows: readonly RequestRow[]): RequestRow[] {
  if (rivals.length === 0) return [...rows];
  return rows.filter((row) => {
    const at = row.sent_at ? Date.parse(row.sent_at) : Number.NaN;
    if (Number.isNaN(at)) return true;
    return rivals.every((rival) => Math.abs(at - sentAt) <= Math.abs(at - rival));
  });
}
