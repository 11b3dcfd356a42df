// One of FAL's billing reads (the charges per request, the balance) that keeps failing is asked ever
// more rarely, up to a bound: a platform API answering 500 was asked the same hundreds of request ids
// at every sync, for as long as it failed. The failure is kept in plain words for the spend view.

/** The wait after the first failure (one spend sync period), doubled after each further one. */
export const READ_BACKOFF_FIRST_MS = 5 * 60_000;
/** The longest wait between two tries: a read that failed all day is still tried every hour. */
export const READ_BACKOFF_MAX_MS = 60 * 60_000;

export interface ReadBackoff {
  /** Whether the read is to be tried at `at` (always, until it fails). */
  due(at: number): boolean;
  /** `retryAfterMs`: the wait FAL asked for (a 429's Retry-After), kept to when it is longer than the back-off, up to the bound. */
  failed(at: number, reason: string, retryAfterMs?: number | null): void;
  succeeded(): void;
  /** Try at the next sync, whatever the wait (a new key). */
  retryNow(): void;
  /** What failed and when it is tried again, in plain words; null when the last try worked. */
  problem(at: number): string | null;
}

/** `what`: the read, as the user knows it ("FAL's charges per job"); `meanwhile`: what the app shows until then. */
export function createReadBackoff(what: string, meanwhile: string): ReadBackoff {
  let failures = 0;
  let nextAt = 0;
  let reason: string | null = null;
  return {
    due: (at) => at >= nextAt,
    failed(at, why, retryAfterMs = null) {
      failures++;
      reason = why;
      const wait = READ_BACKOFF_FIRST_MS * 2 ** Math.min(failures - 1, 20);
      nextAt = at + Math.min(READ_BACKOFF_MAX_MS, Math.max(wait, retryAfterMs ?? 0));
    },
    succeeded() {
      failures = 0;
      nextAt = 0;
      reason = null;
    },
    retryNow() {
      nextAt = 0;
    },
    problem(at) {
      if (reason === null) return null;
      const minutes = Math.ceil((nextAt - at) / 60_000);
      const when = minutes > 0 ? `in about ${minutes} min` : 'shortly';
      const often = failures === 1 ? 'The app asks again' : `${failures} tries in a row failed; the app asks again`;
      return `${what}: ${/[.!?]$/.test(reason) ? reason : `${reason}.`} ${often} ${when}${meanwhile}.`;
    },
  };
}
