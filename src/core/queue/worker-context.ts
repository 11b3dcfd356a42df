// What a worker gets from the scheduler (queue/scheduler.ts) with its claimed job: the row, the
// signals that tell it to stop and why (WorkerInterrupt as the abort reason), and its generation slot.
import type { JobRow } from './store';

export type InterruptReason = 'stop' | 'cancel' | 'lease_lost';

/** The `reason` of a worker's aborted signal. */
export class WorkerInterrupt extends Error {
  override readonly name = 'WorkerInterrupt';
  constructor(readonly reason: InterruptReason) {
    super(`Worker interrupted: ${reason}`);
  }
}

export function interruptReason(signal: AbortSignal): InterruptReason | null {
  return signal.aborted && signal.reason instanceof WorkerInterrupt ? signal.reason.reason : null;
}

export interface WorkerContext {
  /** The claimed row (state preparing, new fence). */
  row: JobRow;
  signal: AbortSignal;
  /**
   * Waits for a generation slot (at once if one is free; else first come first served); rejects with
   * the signal's reason when the worker is interrupted meanwhile. Call before the job occupies FAL.
   */
  acquireSlot: () => Promise<void>;
  /** The job no longer occupies a generation slot (FAL finished it); the next job may have it. */
  releaseSlot: () => void;
  /**
   * Aborted when the worker must let go of the job whatever it is doing (engine stop, lease lost) -
   * also after a cancel already aborted `signal`, e.g. while it keeps a result FAL had finished.
   */
  stopSignal: AbortSignal;
}
