// Keeps SQLite's WAL checkpoints off the engine's thread: a worker thread with a connection of its own
// (checkpoint-worker.ts) copies the WAL into the database file once the WAL holds SQLite's usual
// number of pages. The process's own connections (opened with checkpointsInBackground) check only at ten
// times that size - a safety net should the worker not run.
// Under sustained writes (a commit every few ms: the queue at full speed) the WAL cannot start over,
// as commits landing while the worker copies leave a tail, and SQLite restarts a WAL only once all of
// it is copied: it grows to the safety net's size (~40 MB), where one commit checkpoints the tail the
// worker has not copied yet on its own thread, and the WAL starts over. That is one checkpoint on the
// engine's thread per ~10,000 pages instead of per 1,000, each of a small tail. A RESTART checkpoint
// from the worker would reset it sooner, but it blocks every writer - the engine's thread - meanwhile.
import type { Database } from 'better-sqlite3';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { errorMessage } from '../util/errors';
import { startWorker } from '../workers/start-worker';
import type { CheckpointWorkerData, CheckpointWorkerMessage } from './checkpoint-protocol';

/** SQLite's default threshold: the worker checkpoints once the WAL holds this many pages not in the database. */
export const BACKGROUND_CHECKPOINT_PAGES = 1_000;
/** The process's own connections' automatic checkpoint while the worker runs (checkpointsInBackground). */
export const SAFETY_NET_CHECKPOINT_PAGES = 10_000;
/** SQLite's default, for a connection once the worker is gone. */
const DEFAULT_CHECKPOINT_PAGES = 1_000;
/** How often the worker looks at the WAL's size. */
const CHECK_EVERY_MS = 100;
/** How long stop() waits for the worker to close its connection before it is ended. */
const STOP_WAIT_MS = 2_000;

/**
 * This process's open connections that leave their checkpoints to a worker (openDatabase's
 * checkpointsInBackground): in the app the engine and the FAL platform work share one (app-core.ts),
 * but a FAL platform built alone opens its own on the same file and worker, so a worker's failure must
 * put every one of them back to SQLite's default, not only its own.
 */
const leaning = new Set<Database>();

/** `db` checks only at the safety net's size: a checkpoint worker (startCheckpointer) does it sooner. */
export function leaveCheckpointsToWorker(db: Database): void {
  for (const other of leaning) if (!other.open) leaning.delete(other);
  leaning.add(db);
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
}

/** The worker for `db`'s file is gone: `db` and every connection to that file that relied on it checkpoint in their commits again. */
function checkpointInCommits(db: Database): void {
  const file = resolve(db.name);
  for (const other of leaning) if (!other.open) leaning.delete(other);
  for (const conn of [db, ...leaning]) if (conn.open && resolve(conn.name) === file) conn.pragma(`wal_autocheckpoint = ${DEFAULT_CHECKPOINT_PAGES}`);
}

export interface Checkpointer {
  /** Ends the worker (its connection closed first); call it before the database closes. */
  stop(): Promise<void>;
}

export function startCheckpointWorker(data: CheckpointWorkerData): Worker {
  return startWorker({ bundle: 'checkpoint-worker', source: './checkpoint-worker.ts', from: import.meta.url, label: 'The WAL checkpoint worker', data: { ...data } });
}

export interface CheckpointerOptions {
  logger?: { warn(message: string, detail?: unknown): void };
  start?: (data: CheckpointWorkerData) => Worker;
  walPages?: number;
  everyMs?: number;
  /** Each checkpoint the worker ran, with the pages it copied (diagnostics, tests). */
  onCheckpoint?: (pages: number) => void;
}

/**
 * Starts the checkpoint worker for `db` (a file database in WAL mode; anything else needs none). Should
 * the worker fail to start or fail later, `db` - and every connection to its file opened with
 * checkpointsInBackground - checkpoints in its commits again, as SQLite does by default.
 */
export function startCheckpointer(db: Database, opts: CheckpointerOptions = {}): Checkpointer {
  const none: Checkpointer = { stop: async () => undefined };
  if (db.memory || !db.name || String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return none;
  const inCommitsAgain = (why: string, detail: unknown) => {
    opts.logger?.warn(`WAL checkpoints run in commits again: ${why}`, errorMessage(detail));
    checkpointInCommits(db);
  };
  let worker: Worker;
  try {
    const data: CheckpointWorkerData = { file: db.name, walPages: opts.walPages ?? BACKGROUND_CHECKPOINT_PAGES, everyMs: opts.everyMs ?? CHECK_EVERY_MS };
    worker = (opts.start ?? startCheckpointWorker)(data);
  } catch (error) {
    inCommitsAgain('the worker did not start', error);
    return none;
  }
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
  let stopping = false;
  let failures = 0;
  // Ended (failed to start, or later): stop() has nothing to wait for - no word comes from it again.
  let ended = false;
  worker.on('error', (error) => inCommitsAgain('the worker failed', error));
  worker.on('exit', (code) => {
    ended = true;
    if (!stopping) inCommitsAgain('the worker ended', `exit code ${code}`);
  });
  worker.on('message', (message: CheckpointWorkerMessage) => {
    // A busy database makes a checkpoint stop short now and then; said once, not at every try.
    if (message.type === 'failed' && failures++ === 0) opts.logger?.warn('A WAL checkpoint did not run; it is tried again', message.message);
    if (message.type === 'checkpointed') {
      failures = 0;
      opts.onCheckpoint?.(message.pages);
    }
  });
  // The worker never keeps the app (or a CLI run) from exiting: unref'd after its listeners (a
  // 'message' listener refs the worker's port again).
  worker.unref();
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        if (ended) return;
        const exited = once(worker, 'exit').catch(() => undefined);
        worker.postMessage({ type: 'stop' });
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
        clearTimeout(timer);
        await worker.terminate();
      })();
      return stopped;
    },
  };
}
