// Makes committed transactions survive a power cut without blocking the thread that runs the
// engine. SQLite with synchronous = FULL fsyncs the WAL inside COMMIT, on the calling thread (~4 ms
// here, on the thread that also serves the window's IPC). Instead the commit is an ordinary one and
// the caller that needs it on disk (the armed submit intent, before the job may be sent) awaits an fsync of
// the WAL file run in libuv's thread pool, through one descriptor kept open (wal-file.ts). fsync flushes the file's data whichever descriptor wrote
// it, so every commit made before the fsync started is on disk once it returns; frames that a
// checkpoint has already moved into the database file were synced there by the checkpoint itself.
// Callers waiting meanwhile share the next fsync (group commit).
import { channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { realpathSync } from 'node:fs';
import { fsyncFd } from '../util/quick-fs';
import type { Database } from 'better-sqlite3';
import { openWalFile, WalUnreachable } from './wal-file';

/**
 * How long each caller of sync() waited for the disk ({ waitedMs }), for benchmarks and diagnostics
 * (bench/queue.bench.ts): every armed submit intent waits for it. Costs nothing unsubscribed.
 */
export const walSyncChannel = channel('image2model:wal-sync');

export interface WalSync {
  /** Resolves once every transaction committed before the call is on disk. */
  sync(): Promise<void>;
  /** The failed fsync every later sync fails with until a restart, or null while the disk has not failed. */
  failure(): Error | null;
  /** `listener` is called once, when an fsync first fails (the queue holds FAL work from then on). */
  onFailure(listener: (failure: Error) => void): void;
  /** `listener(true)` once an fsync has run for `slowAfterMs` (a hung disk: everyone waiting would see nothing), `listener(false)` when it ends. */
  onSlow(listener: (slow: boolean) => void): void;
  /** Lets go of the WAL's descriptor: call it before the database closes. A later sync still answers (wal-file.ts). */
  close(): void;
}

/** An fsync running this long is reported as slow (onSlow). */
export const SLOW_SYNC_MS = 10_000;

/**
 * A WalSync for a file database in WAL mode, or null (in-memory, other journal modes). `fsync`
 * (tests) stands for the fsync of the WAL's descriptor (`path`: the file it is open on).
 */
export function createWalSync(
  db: Database,
  fsync: (fd: number, path: string) => Promise<void> = fsyncFd,
  slowAfterMs = SLOW_SYNC_MS,
): WalSync | null {
  if (db.memory || !db.name) return null;
  const mode = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
  if (mode !== 'wal') return null;
  // SQLite keeps the WAL beside the database's real file (a symlinked database: beside its target).
  const walPath = `${realDatabasePath(db.name)}-wal`;
  // The descriptor is opened here, so the disk's errors from now on are reported to it (wal-file.ts).
  const wal = openWalFile(walPath, () => db.open, fsync);
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  /**
   * The first failed fsync, for good: on Linux a later fsync can report success after the kernel
   * dropped the pages that failed, so a commit made before it (a new job, an armed intent) may never
   * reach the disk - a job sent to FAL on the strength of a later "success" could be lost, paid for,
   * with a power cut. Every later sync fails the same way until the database is opened again (a restart).
   */
  let broken: Error | null = null;
  const failureListeners: ((failure: Error) => void)[] = [];
  const slowListeners: ((slow: boolean) => void)[] = [];
  const tell = <T>(listeners: ((value: T) => void)[], value: T) => {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch {
        // A listener's own fault must not stand in for the disk's answer.
      }
    }
  };
  /** Times the running fsync: past slowAfterMs it is reported slow, until it ends. */
  const watchSlow = (run: Promise<void>) => {
    let slow = false;
    const timer = setTimeout(() => {
      slow = true;
      tell(slowListeners, true);
    }, slowAfterMs);
    timer.unref?.();
    const done = () => {
      clearTimeout(timer);
      if (slow) tell(slowListeners, false);
    };
    run.then(done, done);
  };

  const start = (): Promise<void> => {
    if (broken) return Promise.reject(broken);
    const run = wal.fsync().catch((error: unknown) => {
      if (error instanceof WalUnreachable) throw error;
      if (broken) throw broken;
      const failure = Object.assign(
        new Error(
          `The disk reported an error while saving (${error instanceof Error ? error.message : String(error)}). To keep paid jobs safe, nothing more is sent to FAL until Image2Model is restarted: check the disk, then restart.`,
          { cause: error },
        ),
        { code: (error as NodeJS.ErrnoException).code ?? 'EIO' },
      );
      broken = failure;
      tell(failureListeners, failure);
      throw failure;
    });
    if (slowListeners.length > 0) watchSlow(run);
    running = run;
    const clear = () => {
      if (running === run) running = null;
    };
    run.then(clear, clear);
    return run;
  };
  const sync = (): Promise<void> => {
    if (!running) return start();
    // The running fsync may have started before this caller's commit: wait for the next one,
    // which every caller arriving meanwhile shares.
    next ??= running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      next = null;
      return start();
    });
    return next;
  };
  return {
    sync() {
      if (!walSyncChannel.hasSubscribers) return sync();
      const startedAt = performance.now();
      const done = sync();
      const report = () => walSyncChannel.publish({ waitedMs: performance.now() - startedAt });
      done.then(report, report);
      return done;
    },
    failure: () => broken,
    onFailure: (listener) => void failureListeners.push(listener),
    onSlow: (listener) => void slowListeners.push(listener),
    close: () => wal.close(),
  };
}

function realDatabasePath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
