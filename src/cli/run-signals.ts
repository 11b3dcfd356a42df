// A run stopped by a signal (Ctrl-C, a closed terminal, a kill): no new work from then on, what the
// summary says, and the exit code a shell expects.
import type { Engine } from '../core/engine';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export const STOPPED_BY: Record<StopSignal, string> = {
  SIGINT: 'Interrupted.',
  SIGTERM: 'Stopped (SIGTERM).',
  SIGHUP: 'Stopped: the terminal was closed (SIGHUP).',
};

/** Ctrl-C ends a run with 1 (some inputs did not become models); SIGTERM and SIGHUP as a shell reports them (128 + the signal). */
export const EXIT_BY_SIGNAL: Record<StopSignal, number> = { SIGINT: 1, SIGTERM: 143, SIGHUP: 129 };

export interface RunSignals {
  /** The signal that stopped the run, null while none did. */
  readonly interrupted: StopSignal | null;
  /** Ends claims now if a signal came (one while the engine started found nothing to stop). */
  stopIfInterrupted(): void;
  /** Stops listening for SIGINT and SIGTERM. */
  offInterrupts(): void;
  /** Stops listening for SIGHUP: only once the engine has stopped. */
  offHangUp(): void;
}

/** Listens for the signals that stop a run; `onStop` ends the run's wait. */
export function listenForStop(engine: Engine, onStop: () => void): RunSignals {
  let interrupted: StopSignal | null = null;
  // No new work from the signal on: claims end now, not once the images still being added (a big
  // folder takes seconds) and the summary are done - meanwhile every job added was sent, and paid for.
  // A submit on its way is still waited for (stopEngine says so); the jobs not sent stay queued.
  const stopClaiming = () => void engine.stop().catch(() => undefined); // stopEngine's stop() reports a failure
  const onSignal = (signal: StopSignal) => {
    interrupted ??= signal;
    stopClaiming();
    onStop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A closed terminal (SIGHUP) stops the run as Ctrl-C does - never the default, which kills the
  // process with its jobs under a live-looking lease. Listened for until the engine has stopped: a
  // hang-up while it waits for a submit's answer must not end that wait (the answer names the request).
  process.on('SIGHUP', onSignal);
  return {
    get interrupted() {
      return interrupted;
    },
    stopIfInterrupted: () => {
      if (interrupted) stopClaiming();
    },
    offInterrupts: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
    offHangUp: () => void process.off('SIGHUP', onSignal),
  };
}
