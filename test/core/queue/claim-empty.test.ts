// The scheduler asks for the next job each time one moves on; most asks find the queue empty. Such
// an ask must not take the database's write lock: another process (a CLI run, the app) holding it
// for a while must not make an idle engine wait and fail its asks, and an empty transaction is a
// commit the engine pays for nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { JobStore } from '../../../src/core/queue/store';
import { newJob } from '../../support/new-job';

const opened: Db[] = [];
let dir = '';
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('an empty queue is answered while another process holds the write lock; a queued job is claimed once it lets go', () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-claim-empty-'));
  const engine = openDatabase(dir, { busyTimeoutMs: 0 });
  const other = openDatabase(dir, { busyTimeoutMs: 0 });
  opened.push(engine, other);
  const store = new JobStore(engine);
  const ask = () => store.claimNext({ owner: 'engine', now: Date.now(), leaseMs: 60_000, falAllowed: true });

  other.prepare('BEGIN IMMEDIATE').run();
  expect(ask()).toBeNull();
  other.prepare('COMMIT').run();

  new JobStore(other).insertMany([newJob({ id: 'a' })]);
  other.prepare('BEGIN IMMEDIATE').run();
  // A job is there: claiming it needs the lock, and the busy database says so.
  expect(ask).toThrow(/locked|busy/i);
  other.prepare('COMMIT').run();
  expect(ask()?.id).toBe('a');
  expect(ask()).toBeNull();
});
