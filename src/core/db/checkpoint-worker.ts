// The WAL checkpoint worker thread's entry (db/checkpointer.ts starts it): copies the WAL's pages into
// the database file off the engine's thread. SQLite's own automatic checkpoint runs inside a commit on
// the committing thread and fsyncs the WAL and the database there - 2-20 ms the engine's thread (which
// also answers the window and hands FAL slots on) was blocked, every ~15 jobs in the queue bench.
// Built by electron-vite as out/main/checkpoint-worker.js; run from source under tsx by the CLI and tests.
import Database from 'better-sqlite3';
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../workers/background-priority';
import { CheckpointWorkerDataSchema, type CheckpointWorkerMessage } from './checkpoint-protocol';

const port = parentPort;
if (!port) throw new Error('The checkpoint worker must run in a worker thread.');
const { file, walPages, everyMs } = CheckpointWorkerDataSchema.parse(workerData);
lowerThisThreadPriority();

const nativeBinding = process.env.IMAGE2MODEL_SQLITE_BINDING;
const db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
// A checkpoint waits for no one (PASSIVE): a writer or reader of another connection only makes it stop short.
db.pragma('busy_timeout = 0');
db.pragma('wal_autocheckpoint = 0');

const send = (message: CheckpointWorkerMessage) => port.postMessage(message);

/**
 * How many frames the WAL holds, read from the -wal file itself: never the -shm. SQLite's locks
 * between processes are POSIX locks on the -shm, and closing any descriptor of that file drops all of
 * this process's locks on it (https://www.sqlite.org/howtocorrupt.html 2.2): a CLI run could then take
 * the write lock the app holds. No lock is ever taken on the -wal. Its frames since SQLite last started
 * it over carry the header's salts (https://www.sqlite.org/walformat.html); older ones beyond them do
 * not, so the count is found by bisection. A racy read is fine: it only decides when to checkpoint.
 * Null when it cannot be read (no WAL: nothing to copy). The path is the database file's real one:
 * SQLite names the WAL after it (a symlinked database file).
 */
const walPath = `${realPathOf(file)}-wal`;
const walHeader = Buffer.alloc(32);
const frameHeader = Buffer.alloc(24);
function walFrames(): { salts: string; frames: number } | null {
  let fd: number | null = null;
  try {
    const wal = (fd = openSync(walPath, 'r'));
    if (readSync(wal, walHeader, 0, 32, 0) < 32) return null;
    const pageSize = walHeader.readUInt32BE(8);
    if (pageSize < 512 || pageSize > 65_536) return null;
    const frameSize = pageSize + 24;
    const salts = walHeader.subarray(16, 24);
    const current = (i: number) => readSync(wal, frameHeader, 0, 24, 32 + i * frameSize) === 24 && frameHeader.subarray(8, 16).equals(salts);
    let [low, high] = [0, Math.max(0, Math.floor((fstatSync(wal).size - 32) / frameSize))];
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (current(mid - 1)) low = mid;
      else high = mid - 1;
    }
    return { salts: salts.toString('hex'), frames: low };
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The WAL's frames (with its salts) the last checkpoint here found copied into the database. */
let copied: { salts: string; frames: number } | null = null;

const timer = setInterval(() => {
  const wal = walFrames();
  // Copied by another process's checkpoint instead: the next one here finds little to do and learns so.
  if (!wal || wal.frames - (copied?.salts === wal.salts ? copied.frames : 0) < walPages) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    copied = { salts: wal.salts, frames: result?.checkpointed ?? 0 };
    send({ type: 'checkpointed', pages: result?.checkpointed ?? 0 });
  } catch (error) {
    // SQLITE_BUSY (another checkpoint runs, a process is recovering the WAL): tried again next time.
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}, everyMs);

port.on('message', (raw: unknown) => {
  if ((raw as { type?: unknown } | null)?.type !== 'stop') return;
  clearInterval(timer);
  db.close();
  send({ type: 'stopped' });
  port.close();
});
send({ type: 'ready' });
