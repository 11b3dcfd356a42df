// When the watch scans: one scan at a time (a chain), the next planned after each, sooner when fs.watch
// names a change. A failure that repeats at every scan is logged once, not every 2 seconds.
import type { Logger } from '../app-core';
import { errorMessage } from '../util/errors';

export interface ScanLoopDeps {
  scan(): Promise<void>;
  /** After each scan (failed or not): how long until the next, null: none (the watch is off). */
  after(): number | null;
  /** false: stopped, nothing is planned. */
  running(): boolean;
  /** false: no timers at all, only run() (tests that step through scans). */
  timers: boolean;
  logger: Pick<Logger, 'error'>;
}

export interface ScanLoop {
  /** Scans after the scan on its way (`before` runs first, in turn); resolves once done. */
  run(before?: () => void): Promise<void>;
  /** Plans the next scan in `ms`, unless one is planned sooner. */
  schedule(ms: number): void;
  /** Cancels the planned scan; waits for the one on its way. */
  stop(): Promise<void>;
}

export function createScanLoop(deps: ScanLoopDeps): ScanLoop {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let timerAt = 0;
  let chain: Promise<void> = Promise.resolve();
  /** The last unexpected scan failure logged: logged once, not at every scan. */
  let lastFailure: string | null = null;

  /** A stream of fs.watch events (a long copy) never puts the scan off. */
  const schedule = (ms: number) => {
    if (!deps.running() || !deps.timers) return;
    const at = Date.now() + ms;
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, ms);
  };
  const run = (before?: () => void): Promise<void> => {
    chain = chain
      .then(async () => {
        before?.();
        await deps.scan();
        lastFailure = null;
      })
      .catch((error: unknown) => {
        if (errorMessage(error) !== lastFailure) deps.logger.error('The watched folder could not be read', error);
        lastFailure = errorMessage(error);
      })
      .finally(() => {
        const next = deps.after();
        if (!timer && next !== null) schedule(next);
      });
    return chain;
  };

  return {
    run,
    schedule,
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
    },
  };
}
