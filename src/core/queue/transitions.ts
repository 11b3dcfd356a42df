// The job state machine as data. Every state change in the store goes through `canTransition`, so a
// bug elsewhere cannot, for example, resurrect a canceled job or skip validation into the library.
import type { JobState } from '../../shared/domain';

const TABLE: Readonly<Record<JobState, readonly JobState[]>> = {
  // A worker claims it; the user cancels it.
  queued: ['preparing', 'canceled'],
  // Validate / upload / submit. `running` directly for the offline generator or when resuming a job
  // that already has a FAL request id; `submitted` after the submit; `queued` when it must wait
  // (back-off, rate limit, offline, key rejected) or the engine stops.
  preparing: ['submitted', 'running', 'queued', 'failed', 'canceled', 'needs_attention'],
  // FAL accepted it: waiting in FAL's queue.
  submitted: ['running', 'downloading', 'queued', 'failed', 'canceled', 'needs_attention'],
  running: ['downloading', 'queued', 'failed', 'canceled'],
  // Fetching the result and storing it in the library.
  downloading: ['succeeded', 'queued', 'failed', 'canceled'],
  succeeded: [],
  failed: ['queued'],
  canceled: [],
  // Retry only with the user's confirmation (it may be charged twice).
  needs_attention: ['queued'],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return TABLE[from].includes(to);
}

/** The states `from` may move to (for tests and error messages). */
export function nextStates(from: JobState): readonly JobState[] {
  return TABLE[from];
}

/** States from which each target can be reached; used to build conditional UPDATEs. */
export function statesLeadingTo(to: JobState): JobState[] {
  return (Object.keys(TABLE) as JobState[]).filter((from) => TABLE[from].includes(to));
}

export class TransitionError extends Error {
  override readonly name = 'TransitionError';
  constructor(
    readonly from: JobState,
    readonly to: JobState,
  ) {
    super(`A job cannot go from ${from} to ${to}`);
  }
}

/**
 * A step written before a write (store-fenced JobStep) refused by the table; `step` is its index
 * among that write's steps, so the writer can leave it out (engine/job-writer.ts dropRefused).
 */
export class RefusedStepError extends TransitionError {
  constructor(
    from: JobState,
    to: JobState,
    readonly step: number,
  ) {
    super(from, to);
  }
}

export function assertTransition(from: JobState, to: JobState): void {
  if (!canTransition(from, to)) throw new TransitionError(from, to);
}
