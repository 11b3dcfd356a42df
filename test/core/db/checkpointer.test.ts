// WAL checkpoints run in a worker thread (db/checkpointer.ts), not inside the engine's commits: SQLite's
// automatic checkpoint fsyncs the WAL and the database on the committing thread, blocking the thread
// that hands FAL slots on and answers the window.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it, vi } from 'vitest';
import { startCheckpointer, type Checkpointer } from '../../../src/core/db/checkpointer';
import { DATABASE_FILE, openDatabase, type Db } from '../../../src/core/db/open';

let dir = '';
let db: Db | null = null;
let checkpointer: Checkpointer | null = null;
/** More connections a test opened, and their folders. */
const others: Db[] = [];
const otherDirs: string[] = [];
afterEach(async () => {
  await checkpointer?.stop();
  for (const other of others.splice(0)) if (other.open) other.close();
  if (db?.open) db.close();
  for (const folder of [dir, ...otherDirs.splice(0)]) if (folder) rmSync(folder, { recursive: true, force: true });
  checkpointer = db = null;
});

function openWithTable(): Db {
  dir = mkdtempSync(join(tmpdir(), 'i2m-checkpoint-'));
  db = openDatabase(dir, { checkpointsInBackground: true });
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)');
  return db;
}

/** ~4 MiB in 512 small commits: well past the worker's threshold, far below the connection's own. */
function writeMany(target: Db): void {
  const insert = target.prepare('INSERT INTO blobs (data) VALUES (?)');
  for (let i = 0; i < 512; i++) insert.run(Buffer.alloc(8192, i % 251));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

it("copies the WAL into the database file from its own thread; the connection's commits never do", async () => {
  const target = openWithTable();
  expect(target.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThanOrEqual(10_000);
  const before = statSync(join(dir, DATABASE_FILE)).size;
  checkpointer = startCheckpointer(target, { walPages: 64, everyMs: 10 });
  writeMany(target);
  // Only a checkpoint writes pages into the database file; the connection's own would wait for 40 MB.
  await until(() => statSync(join(dir, DATABASE_FILE)).size > before + 2 * 1024 * 1024);
});

it('checkpoints only when there is something to copy: a quiet database is left alone', async () => {
  const target = openWithTable();
  const checkpoints: number[] = [];
  checkpointer = startCheckpointer(target, { walPages: 64, everyMs: 10, onCheckpoint: (pages) => checkpoints.push(pages) });
  writeMany(target);
  await until(() => checkpoints.length > 0);
  // The next commit starts the WAL over from its beginning; the file keeps its size.
  target.prepare('INSERT INTO blobs (data) VALUES (?)').run(Buffer.alloc(10));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const settled = checkpoints.length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(checkpoints.length).toBe(settled);
  expect(statSync(join(dir, `${DATABASE_FILE}-wal`)).size).toBeGreaterThan(64 * 4096);
});

it('stops with its connection closed, so the last close removes the WAL', async () => {
  const target = openWithTable();
  checkpointer = startCheckpointer(target, { walPages: 64, everyMs: 10 });
  writeMany(target);
  await checkpointer.stop();
  target.close();
  expect(existsSync(join(dir, `${DATABASE_FILE}-wal`))).toBe(false);
});

it('a worker that cannot start leaves checkpoints to the commits, as SQLite does by default, and says so', () => {
  const target = openWithTable();
  const warn = vi.fn();
  checkpointer = startCheckpointer(target, {
    logger: { warn },
    start: () => {
      throw new Error('The WAL checkpoint worker is missing from this build.');
    },
  });
  expect(target.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('did not start'), expect.stringContaining('missing from this build'));
});

it.each([
  [
    'fails to start',
    'did not start',
    (): Worker => {
      throw new Error('The WAL checkpoint worker is missing from this build.');
    },
  ],
  ['fails later', 'the worker ended', () => new Worker("throw new Error('the driver did not load')", { eval: true })],
] as const)("a worker that %s puts every connection that relied on it back to SQLite's default, not only the engine's", async (_, said, start) => {
  const engine = openWithTable();
  // The FAL platform's connection to the same file (fal-platform.ts), and one to another database.
  const platform = openDatabase(dir, { checkpointsInBackground: true });
  otherDirs.push(mkdtempSync(join(tmpdir(), 'i2m-checkpoint-other-')));
  const elsewhere = openDatabase(otherDirs[0]!, { checkpointsInBackground: true });
  others.push(platform, elsewhere);
  const warn = vi.fn();
  checkpointer = startCheckpointer(engine, { logger: { warn }, start });
  await until(() => warn.mock.calls.some(([message]) => String(message).includes(said)));
  expect(engine.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  expect(platform.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  expect(elsewhere.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
});
