// The engine's close waits for the WAL checkpoint worker to close its connection (db/checkpointer.ts
// stop), up to 2 s. A worker that had already ended (failed to start: a driver that does not load in
// a worker thread, the database gone) never says so again: every close then waited out the 2 s, and
// every CLI run exited that much later.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it, vi } from 'vitest';
import { startCheckpointer } from '../../src/core/db/checkpointer';
import { openDatabase, type Db } from '../../src/core/db/open';

let dir = '';
let db: Db | null = null;
afterEach(() => {
  vi.useRealTimers();
  if (db?.open) db.close();
  db = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

it('stops at once when the worker had already ended, without waiting for word from it', async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-checkpoint-gone-'));
  db = openDatabase(dir, { checkpointsInBackground: true });
  const warn = vi.fn();
  const checkpointer = startCheckpointer(db, { logger: { warn }, start: () => new Worker("throw new Error('the driver did not load')", { eval: true }) });
  await until(() => warn.mock.calls.some(([message]) => String(message).includes('the worker ended')));
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  // The 2 s wait never ends on its own here: only a stop that does not wait for the gone worker returns.
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  await checkpointer.stop();
});
