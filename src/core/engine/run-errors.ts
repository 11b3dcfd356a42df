// The errors a job's steps use to end its run early; job-run.ts turns each into the job's end.
import type { FalPhase } from '../fal/classify';

/** A definite end for the job, decided by the run itself. */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestDone: boolean,
  ) {
    super(message);
  }
}

/** The worker no longer holds the job (its lease was taken over): stop writing. */
export class LeaseLostError extends Error {}

/** The submit's outcome is unknown and the job already says so (needs_attention): nothing more to do. */
export class SubmitSettled extends Error {}

/** An error from talking to FAL or downloading, with the step it happened in. */
export class StepError extends Error {
  constructor(
    readonly phase: FalPhase,
    override readonly cause: unknown,
    /** FAL's answer for the request had been read (it made the model) before this step failed. */
    readonly afterAnswer = false,
  ) {
    super(`${phase} failed`);
  }
}

/** Runs one FAL/download call, tagging its error with the step. */
export async function step<T>(phase: FalPhase, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new StepError(phase, error);
  }
}

/** FAL accepted the submit (it gave `requestId`) but the id could not be stored. */
export class SubmitUnrecorded extends Error {
  constructor(
    readonly requestId: string,
    override readonly cause: unknown,
  ) {
    super(`FAL accepted the job as ${requestId}, but it could not be recorded`);
  }
}
