// Pure retry timing: exponential back-off with jitter, and the server's Retry-After.

export interface BackoffPolicy {
  /** Delay before the first retry (default 1 s). */
  baseMs: number;
  /** No delay grows beyond this (default 60 s). */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 1000, capMs: 60_000 });

/** Upper bound for a server-requested wait, so a bogus Retry-After cannot park a job for days. */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * Delay before retry number `retry` (1 = first retry): base doubling per retry up to the cap, with
 * +-20% jitter so many jobs failing together do not come back in lockstep. Never above the cap.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(retry));
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  const jittered = exponential * (0.8 + 0.4 * clamp01(random()));
  return Math.max(0, Math.round(Math.min(policy.capMs, jittered)));
}

/**
 * Reads a Retry-After header: delta-seconds ("120", "1.5") or an HTTP date. Returns the wait in ms
 * from `nowMs` (0 for a date in the past), at most `capMs`, or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number, capMs = MAX_RETRY_AFTER_MS): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(capMs, Math.round(Number(text) * 1000));
  // HTTP dates always name a weekday or month; Date.parse alone accepts too much ("1", "-5").
  if (!/[a-z]{3}/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(capMs, Math.max(0, at - nowMs));
}

/**
 * Wait after a rate limit: the server's Retry-After when it gave one, else back-off by how many
 * rate limits this job hit in a row.
 */
export function rateLimitDelay(
  retryAfterMs: number | null,
  consecutiveHits: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== null) return retryAfterMs;
  return backoffDelay(consecutiveHits, policy, random);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0.5;
}
