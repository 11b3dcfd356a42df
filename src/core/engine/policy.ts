// The retry policy as a pure function: what a job does after a classified error. The job run
// carries the decision out (writes the patch, tells the queue).
import type { Classification, FalPhase } from '../fal/classify';
import { backoffDelay, rateLimitDelay, type BackoffPolicy } from '../queue/backoff';
import type { JobPatch } from '../queue/store';
import { MAY_STILL_FINISH } from '../spend/possible-charge-text';

export interface PolicyInput {
  attempts: number;
  maxAttempts: number;
  /** Consecutive rate limits of this job so far. */
  rateLimitHits: number;
  now: number;
  backoff: BackoffPolicy;
  random: () => number;
  /** The step that failed; decides what giving up on a passing trouble means for the charge. */
  phase?: FalPhase;
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
      if (attempts >= input.maxAttempts) return givenUp(c, attempts, input.phase);
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

/**
 * A job that gave up after passing trouble (its attempts spent). Downloading: FAL made the model, so it
 * was charged, and Download again (free) fetches it. Asking FAL about the request (status, result): FAL
 * may still finish it, and charges only then (never for a 5xx error: FAL-PLATFORM.md) - a possible charge
 * (spend/charge-rule.ts FAL_UNANSWERED_CODES), and Download again (free) asks FAL again.
 */
function givenUp(c: Extract<Classification, { kind: 'transient' }>, attempts: number, phase: FalPhase | undefined): Decision {
  const extra = { attempts };
  const tried = `Gave up after ${attempts} attempts.`;
  if (phase === 'download') {
    const message = `The model was made (and paid for), but downloading it kept failing: ${c.message} ${tried} Use Download again (free) later.`;
    return { kind: 'fail', code: 'result_download_failed', message, requestDone: false, extra };
  }
  if (phase === 'status' || phase === 'result') {
    const message = `${c.message} ${tried} ${MAY_STILL_FINISH}`;
    return { kind: 'fail', code: c.code, message, requestDone: false, extra };
  }
  return { kind: 'fail', code: c.code, message: `${c.message} ${tried}`, requestDone: false, extra };
}

export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
