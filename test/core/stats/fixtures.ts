// Builds request outcomes for the stats tests and the bench.
import type { RequestOutcome } from '../../../src/core/stats';

export const TRELLIS = 'fal-ai/trellis';
export const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';

/** Noon UTC on 2026-03-10 + `days`: the same local calendar day in every time zone from -11 to +11 h. */
export const dayAt = (days: number, extraMs = 0) => Date.UTC(2026, 2, 10 + days, 12) + extraMs;

let requests = 0;

/** Each outcome is a request of its own unless told (one request's outcomes share its cost: recorder.ts). */
export function outcome(overrides: Partial<RequestOutcome> & { durationS?: number } = {}): RequestOutcome {
  const { durationS = 20, ...rest } = overrides;
  const finishedAt = rest.finishedAt ?? dayAt(0);
  return {
    jobId: 'job-1',
    endpoint: TRELLIS,
    requestId: `req-${++requests}`,
    status: 'succeeded',
    errorType: null,
    startedAt: finishedAt - durationS * 1000,
    finishedAt,
    billableUnits: null,
    estimatedCostUsd: 0.02,
    ...rest,
  };
}
