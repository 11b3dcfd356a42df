// SQLite's locks between processes are POSIX record locks on the -shm file (the WAL's write lock,
// readers' marks, the "someone has it open" byte). Such locks belong to the process, and closing ANY
// descriptor of that file in the process drops all of them (https://www.sqlite.org/howtocorrupt.html,
// 2.2). A checkpoint worker that opened and closed the -shm to read its header every 100 ms left the
// app's connections holding locks that no other process could see: a CLI run could then take the
// write lock the app held, and one of the two commits was lost (a stored request id among them).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startCheckpointer, type Checkpointer } from '../../src/core/db/checkpointer';
import { DATABASE_FILE, openDatabase, type Db } from '../../src/core/db/open';

let dir = '';
const opened: Db[] = [];
let checkpointer: Checkpointer | null = null;
afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = null;
  for (const db of opened.splice(0)) if (db.open) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** Another process (a CLI run) asking for the write lock without waiting: what it got. */
function otherProcessTakesWriteLock(file: string): string {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const code = `const D = require(${JSON.stringify(driver)}); const db = new D(${JSON.stringify(file)}); db.pragma('busy_timeout = 0');
    try { db.prepare('BEGIN IMMEDIATE').run(); db.prepare('ROLLBACK').run(); console.log('locked it'); } catch (e) { console.log(e.code); }`;
  return execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' }).trim();
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

it("the app's write lock holds against another process while the checkpoint worker runs", async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-shm-locks-'));
  const app = openDatabase(dir, { checkpointsInBackground: true, busyTimeoutMs: 0 });
  const reader = openDatabase(dir, { busyTimeoutMs: 0 });
  opened.push(app, reader);
  app.exec('CREATE TABLE t (x BLOB)');
  // A reader's snapshot keeps every checkpoint from finishing, so the worker checkpoints at each look.
  reader.prepare('BEGIN').run();
  reader.prepare('SELECT COUNT(*) FROM t').get();
  for (let i = 0; i < 20; i++) app.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(4096));
  const checkpoints: number[] = [];
  checkpointer = startCheckpointer(app, { walPages: 4, everyMs: 10, onCheckpoint: (pages) => checkpoints.push(pages) });

  app.prepare('BEGIN IMMEDIATE').run();
  const seen = checkpoints.length;
  // Two full looks of the worker's after the lock was taken.
  await until(() => checkpoints.length >= seen + 2);
  expect(otherProcessTakesWriteLock(join(dir, DATABASE_FILE))).toBe('SQLITE_BUSY');
  app.prepare('ROLLBACK').run();
  reader.prepare('ROLLBACK').run();
});

it('a database file that is a link to another is checkpointed too (SQLite names its WAL after the real file)', async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-shm-locks-'));
  const real = join(dir, 'elsewhere');
  const data = join(dir, 'data');
  mkdirSync(real);
  mkdirSync(data);
  openDatabase(real).close();
  symlinkSync(join(real, DATABASE_FILE), join(data, DATABASE_FILE));
  const app = openDatabase(data, { checkpointsInBackground: true });
  opened.push(app);
  app.exec('CREATE TABLE t (x BLOB)');
  const before = statSync(join(real, DATABASE_FILE)).size;
  const checkpoints: number[] = [];
  checkpointer = startCheckpointer(app, { walPages: 16, everyMs: 10, onCheckpoint: (pages) => checkpoints.push(pages) });
  for (let i = 0; i < 64; i++) app.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(4096));
  await until(() => checkpoints.length > 0);
  expect(statSync(join(real, DATABASE_FILE)).size).toBeGreaterThan(before);
});
