// The WAL checkpoint worker thread's entry (db/checkpointer.ts starts it): copies the WAL's pages into
// the database file off the engine's thread. SQLite's own automatic checkpoint runs inside a commit on
// the committing thread and fsyncs the WAL and the database there - 2-20 ms the engine's thread (which
// also answers the window and hands FAL slots on) was blocked, every ~15 jobs in the queue bench.
// Built by electron-vite as out/main/checkpoint-worker.js; run from source under tsx by the CLI and tests.
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
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
 * Frames in the WAL not yet copied into the database: mxFrame - nBackfill, read from the wal-index
 * header in the -shm file (https://www.sqlite.org/walformat.html: offsets 16 and 96, native byte
 * order). The WAL file's size says nothing once SQLite starts it over from its beginning (it keeps its
 * size). A racy read is fine: it only decides when to checkpoint. Null when it cannot be read.
 */
const header = Buffer.alloc(100);
const little = endianness() === 'LE';
function pendingFrames(): number | null {
  let fd: number | null = null;
  try {
    fd = openSync(`${file}-shm`, 'r');
    if (readSync(fd, header, 0, 100, 0) < 100) return null;
    const at = (offset: number) => (little ? header.readUInt32LE(offset) : header.readUInt32BE(offset));
    return Math.max(0, at(16) - at(96));
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

const timer = setInterval(() => {
  if ((pendingFrames() ?? 0) < walPages) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
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
