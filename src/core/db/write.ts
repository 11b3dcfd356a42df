// Write transactions for a database that several processes share (the app, CLI runs, the browser
// transport). Every writer takes the write lock up front (BEGIN IMMEDIATE): a deferred transaction
// that reads first and writes later cannot wait for the lock in WAL mode and fails at once with
// SQLITE_BUSY(_SNAPSHOT). The lock wait itself is busy_timeout; on top, a busy error is retried a
// few times with a short, growing pause before it is given up.
import type { Database } from 'better-sqlite3';

const BUSY_CODES: ReadonlySet<string> = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

/** Retries after a busy error (on top of busy_timeout); pauses grow 25, 50, 100 ms. */
const MAX_BUSY_RETRIES = 3;

export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BUSY_CODES.has(code);
}

/**
 * Test hooks: `remaining` makes the next write transactions fail as if the database were busy;
 * IMAGE2MODEL_TEST_DB_BUSY_RATE (0..1) makes each attempt fail so with that probability (chaos tests).
 */
export const busyFaults = { remaining: 0, rate: Number(process.env.IMAGE2MODEL_TEST_DB_BUSY_RATE) || 0 };

const pause = new Int32Array(new SharedArrayBuffer(4));

type Runner = ReturnType<Database['transaction']>;
const runners = new WeakMap<Database, Runner>();

/**
 * One transaction wrapper per connection, running the function it is given: better-sqlite3's
 * db.transaction(fn) makes four wrappers and defines twenty properties on them for each call (~5 µs,
 * and garbage, on the engine's thread; a job makes about seven).
 */
function runnerOf(db: Database): Runner {
  let runner = runners.get(db);
  if (!runner) {
    runner = db.transaction((fn: () => unknown) => fn());
    runners.set(db, runner);
  }
  return runner;
}

/** Runs `fn` inside the caller's write transaction, as a savepoint: its error undoes only its own writes. */
export function savepoint<T>(db: Database, fn: () => T): T {
  if (!db.inTransaction) throw new Error('savepoint() runs inside a write transaction');
  return runnerOf(db)(fn) as T;
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction, retrying busy errors a bounded number of times. */
export function writeTx<T>(db: Database, fn: () => T): T {
  for (let retry = 0; ; retry++) {
    try {
      if (busyFaults.remaining > 0 || (busyFaults.rate > 0 && Math.random() < busyFaults.rate)) {
        busyFaults.remaining = Math.max(0, busyFaults.remaining - 1);
        throw Object.assign(new Error('database is locked (injected)'), { code: 'SQLITE_BUSY' });
      }
      return runnerOf(db).immediate(fn) as T;
    } catch (error) {
      if (!isBusyError(error) || retry >= MAX_BUSY_RETRIES || db.inTransaction) throw error;
      // Synchronous on purpose: store methods never await (no transaction spans an await).
      Atomics.wait(pause, 0, 0, 25 * 2 ** retry);
    }
  }
}
