// Start, stop and close: the order in which an engine's parts come up and go down.
import { removeLeftoverTempFiles } from '../library/files';
import type { Scheduler } from '../queue/scheduler';
import type { ChangeWatch } from './change-watch';
import type { Ownership } from './ownership';
import type { QueueHealth } from './queue-health';
import type { Engine, Logger } from './types';

export interface LifecycleDeps {
  ownership: Pick<Ownership, 'markAlive' | 'markStopped'>;
  scheduler: Pick<Scheduler, 'start' | 'stop'>;
  watch: Pick<ChangeWatch, 'start' | 'stop'>;
  health: Pick<QueueHealth, 'setRunning' | 'changed'>;
  /** Takes back the jobs of a crashed run. */
  recover: () => void;
  /** Folders cleaned of leftover temporary files on start. */
  tempDirs: readonly string[];
  tempFileMinAgeMs: number;
  /** Removes library files no row names (library/orphans.ts); run in the background after start. */
  sweepOrphans: (signal: AbortSignal) => Promise<{ checked: number; removed: number }>;
  /**
   * Run in the background, `warmUpDelayMs` after start (EngineDeps.warmUp). `stopped` is aborted by
   * stop(), which waits for the returned promise: a part not worth finishing then ends at once.
   */
  warmUp?: (stopped: AbortSignal) => Promise<void>;
  warmUpDelayMs: number;
  logger: Logger;
  /** Sends the job events still held back. */
  flushEvents: () => void;
  /** After the last stop: lets go of what the engine holds (event throttle, listeners, database, worker threads). */
  release: () => void | Promise<void>;
}

export function createLifecycle(deps: LifecycleDeps): Pick<Engine, 'start' | 'stop' | 'close' | 'whenWarm'> {
  const { ownership, scheduler, watch, health } = deps;
  let started = false;
  let stopping: Promise<void> | null = null;
  let sweep: { controller: AbortController; done: Promise<void> } | null = null;
  let warm: Promise<void> = Promise.resolve();
  /** Called by stop(): a warm-up still waiting for its time then does nothing; one under way is told. */
  let endWarmUp: (() => void) | null = null;
  /**
   * Counts starts and stops: a start() whose temp-file cleaning a stop (and maybe another start) came
   * during goes no further - it would start claiming, the sweep and the warm-up after that stop.
   */
  let turn = 0;

  async function cleanTempFiles(): Promise<void> {
    let removed = 0;
    for (const dir of deps.tempDirs) {
      removed += await removeLeftoverTempFiles(dir, { minAgeMs: deps.tempFileMinAgeMs, now: Date.now() });
    }
    if (removed > 0) deps.logger.info(`removed ${removed} leftover temporary file(s)`);
  }

  /** Off the start-up path: a big library must not hold up the queue. stop() ends and awaits it. */
  function startOrphanSweep(): void {
    const controller = new AbortController();
    const done = new Promise((resolve) => setImmediate(resolve))
      .then(() => (controller.signal.aborted ? null : deps.sweepOrphans(controller.signal)))
      .then(
        (result) => {
          if (result) deps.logger.info(`library sweep: removed ${result.removed} unreferenced file(s) of ${result.checked} checked`);
        },
        (error: unknown) => deps.logger.warn('library sweep failed', error),
      );
    sweep = { controller, done };
  }

  /** Not before this tick's end: the start's own work (claims, the first jobs) goes first. */
  function startWarmUp(): void {
    const warmUp = deps.warmUp;
    if (!warmUp) return;
    const stopped = new AbortController();
    const due = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, deps.warmUpDelayMs);
      timer.unref();
      endWarmUp = () => {
        stopped.abort();
        clearTimeout(timer);
        resolve();
      };
    });
    warm = due
      .then(() => (started && !stopped.signal.aborted ? warmUp(stopped.signal) : undefined))
      .catch((error: unknown) => deps.logger.warn('warming up after start failed (the first photos will load it instead)', error));
  }

  async function start(): Promise<void> {
    if (started) return;
    if (stopping) await stopping;
    if (started) return; // another start() that waited for the same stop went first
    ownership.markAlive();
    started = true;
    const mine = ++turn;
    await cleanTempFiles();
    if (mine !== turn) return;
    deps.recover();
    scheduler.start();
    watch.start();
    health.setRunning(true);
    health.changed();
    startOrphanSweep();
    startWarmUp();
  }

  async function stop(): Promise<void> {
    if (!started) {
      // Already stopping (a shutdown's releaseUnsentNow began it): done when that is.
      if (stopping) await stopping;
      return;
    }
    started = false;
    turn++;
    endWarmUp?.();
    endWarmUp = null;
    health.setRunning(false);
    watch.stop();
    sweep?.controller.abort();
    const swept = sweep?.done;
    sweep = null;
    stopping = Promise.all([scheduler.stop(), swept, warm]).then(() => undefined).finally(() => {
      ownership.markStopped();
      deps.flushEvents();
      stopping = null;
    });
    await stopping;
  }

  /** Once: the app core closes the engine on its stop, and a caller that closes it too (the CLI, a test) must not release twice. */
  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= stop().then(() => deps.release());
    return closing;
  }

  return { start, stop, close, whenWarm: () => warm };
}
