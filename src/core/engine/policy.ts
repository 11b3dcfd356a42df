// The retry policy as a pure function: what a job does after a classified error. The job run
// carries the decision out (writes the patch, tells the queue).
import type { Classification } from '../fal/classify';
import { backoffDelay, rateLimitDelay, type BackoffPolicy } from '../queue/backoff';
import type { JobPatch } from '../queue/store';

export interface PolicyInput {
  attempts: number;
  maxAttempts: number;
  /** Consecutive rate limits of this job so far. */
  rateLimitHits: number;
  now: number;
  backoff: BackoffPolicy;
  random: () => number;
}

export type Decision =
  /** Back to the queue with `patch` (see releasedPatch); `tell` the whole queue first. */
  | { kind: 'release'; patch: JobPatch; tell?: { signal: 'keyRejected' | 'balanceUsedUp' | 'offline'; message: string }; rateLimitHits?: number }
  /** Ends the job as failed. */
  | { kind: 'fail'; code: string; message: string; requestDone: boolean; extra?: JobPatch };

/** A job held by a used-up FAL balance (the renderer's queue row says the same: wait-place.ts). */
export const BALANCE_HOLD = 'Waiting for your FAL balance to be topped up';

export function decide(c: Classification, input: PolicyInput): Decision {
  switch (c.kind) {
    case 'auth':
      return c.code === 'balance_used_up'
        ? {
            kind: 'release',
            tell: { signal: 'balanceUsedUp', message: c.message },
            patch: { message: BALANCE_HOLD, errorCode: c.code, errorMessage: c.message },
          }
        : {
            kind: 'release',
            tell: { signal: 'keyRejected', message: c.message },
            patch: { message: 'Waiting for a working FAL key', errorCode: c.code, errorMessage: c.message },
          };
    case 'offline':
      return {
        kind: 'release',
        tell: { signal: 'offline', message: c.message },
        patch: { message: 'Waiting for the connection to FAL', errorCode: c.code, errorMessage: c.message },
      };
    case 'rate_limit': {
      const hits = input.rateLimitHits + 1;
      const delay = rateLimitDelay(c.retryAfterMs, hits, input.backoff, input.random);
      return {
        kind: 'release',
        rateLimitHits: hits,
        patch: {
          nextAttemptAt: input.now + delay,
          message: `FAL asked to slow down; trying again in ${formatDelay(delay)}`,
          errorCode: c.code,
          errorMessage: c.message,
        },
      };
    }
    case 'transient': {
      const attempts = input.attempts + 1;
      if (attempts >= input.maxAttempts) {
        return { kind: 'fail', code: c.code, message: `${c.message} Gave up after ${attempts} attempts.`, requestDone: false, extra: { attempts } };
      }
      const delay = backoffDelay(attempts, input.backoff, input.random);
      return {
        kind: 'release',
        patch: {
          attempts,
          nextAttemptAt: input.now + delay,
          message: `${c.message} Trying again in ${formatDelay(delay)} (attempt ${attempts + 1} of ${input.maxAttempts}).`,
          errorCode: c.code,
          errorMessage: c.message,
        },
      };
    }
    case 'fail':
      return { kind: 'fail', code: c.code, message: c.message, requestDone: c.requestDone };
    case 'aborted':
      return { kind: 'release', patch: { message: 'Interrupted; will continue' } };
  }
}

export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
