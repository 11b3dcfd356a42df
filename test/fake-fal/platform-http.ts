// HTTP helpers shared by the fake platform API's handlers: FAL's error shape, list parameters,
// cursors and time windows.
import { jsonReply, type Reply } from './http';

export const DAY_MS = 24 * 3600_000;

export function platformError(status: number, type: string, message: string): Reply {
  return jsonReply(status, { error: { type, message } });
}

export const iso = (ms: number | undefined | null): string | null => (ms === undefined || ms === null ? null : new Date(ms).toISOString());

/** A list parameter: comma-separated and/or repeated. */
export function listParam(params: URLSearchParams, name: string): string[] {
  return params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string | null): number | null {
  if (cursor === null) return 0;
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

/** One page of `items` with FAL's cursor fields, or an error reply for a bad cursor/limit. */
export function paginate<T>(items: T[], params: URLSearchParams, defaultLimit: number, maxLimit: number): { page: T[]; next_cursor: string | null; has_more: boolean } | Reply {
  const limit = params.has('limit') ? Number(params.get('limit')) : defaultLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    return platformError(400, 'validation_error', `limit must be an integer from 1 to ${maxLimit}`);
  }
  const offset = decodeCursor(params.get('cursor'));
  if (offset === null) return platformError(400, 'validation_error', 'Invalid cursor');
  const page = items.slice(offset, offset + limit);
  const more = offset + limit < items.length;
  return { page, next_cursor: more ? encodeCursor(offset + limit) : null, has_more: more };
}

/** start/end (ISO-8601, end exclusive), default the last `defaultSpanMs`; a Reply when invalid. */
export function timeWindow(params: URLSearchParams, defaultSpanMs: number, maxSpanMs?: number): { start: number; end: number } | Reply {
  const now = Date.now();
  const parse = (name: string, fallback: number): number | null => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    const at = Date.parse(raw);
    return Number.isNaN(at) ? null : at;
  };
  const end = parse('end', now);
  const start = parse('start', (end ?? now) - defaultSpanMs);
  if (start === null || end === null) return platformError(400, 'validation_error', 'start and end must be ISO-8601 date-times');
  if (maxSpanMs !== undefined && end - start > maxSpanMs) {
    return platformError(400, 'validation_error', `The time range may not exceed ${Math.round(maxSpanMs / DAY_MS)} days`);
  }
  return { start, end };
}

export const isReply = (value: unknown): value is Reply => typeof value === 'object' && value !== null && 'status' in value && 'body' in value && 'headers' in value;

export const round6 = (usd: number): number => Math.round(usd * 1e6) / 1e6;
