// Pure: does FAL's request history hold the submission we sent? A row matches when its stored input
// holds every field we sent with the same value (FAL may add defaults); the uploaded image URL is
// unique per upload, so a match is our submission and nobody else's.
import type { RequestRow } from '../fal/platform-client';

export interface SentSubmission {
  endpoint: string;
  /** When the submit left (epoch ms, our clock). */
  sentAt: number;
  /** The exact input JSON sent. */
  input: unknown;
}

export type MatchResult =
  /** `receivedAt`: when FAL's row says it was sent (epoch ms; null when unreadable). */
  | { kind: 'found'; requestId: string; receivedAt: number | null }
  /** Every listed row carried its input and none is ours. */
  | { kind: 'absent' }
  /** Nothing matched, but some rows carry no input (payload storage off): no conclusion possible. */
  | { kind: 'no_payloads' };

/** `sent` is contained in `stored`: objects field by field (extra stored fields allowed), the rest equal. */
export function inputContains(stored: unknown, sent: unknown): boolean {
  if (Array.isArray(sent)) {
    return Array.isArray(stored) && stored.length === sent.length && sent.every((item, i) => inputContains(stored[i], item));
  }
  if (sent !== null && typeof sent === 'object') {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false;
    const record = stored as Record<string, unknown>;
    return Object.entries(sent as Record<string, unknown>).every(([key, value]) => value === undefined || inputContains(record[key], value));
  }
  return Object.is(stored, sent) || (typeof stored === 'number' && typeof sent === 'number' && stored === sent);
}

const hasPayload = (row: RequestRow): boolean => row.json_input !== undefined && row.json_input !== null;

/**
 * Finds `sent` among `rows` (one endpoint's history around the send time). `taken` holds request
 * ids other jobs already own; when several rows match (a job sent twice), the one sent closest to
 * our send time wins.
 */
export function matchSubmission(sent: SentSubmission, rows: readonly RequestRow[], taken: ReadonlySet<string>): MatchResult {
  const candidates = rows.filter((row) => row.endpoint_id === sent.endpoint && !taken.has(row.request_id));
  const matches = candidates.filter((row) => hasPayload(row) && inputContains(row.json_input, sent.input));
  if (matches.length > 0) {
    const distance = (row: RequestRow) => {
      const at = row.sent_at ? Date.parse(row.sent_at) : Number.NaN;
      return Number.isNaN(at) ? Number.MAX_SAFE_INTEGER : Math.abs(at - sent.sentAt);
    };
    const best = [...matches].sort((a, b) => distance(a) - distance(b))[0]!;
    const receivedAt = best.sent_at ? Date.parse(best.sent_at) : Number.NaN;
    return { kind: 'found', requestId: best.request_id, receivedAt: Number.isNaN(receivedAt) ? null : receivedAt };
  }
  return candidates.some((row) => !hasPayload(row)) ? { kind: 'no_payloads' } : { kind: 'absent' };
}
