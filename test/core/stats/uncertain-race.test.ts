// One FAL send counts once in the stats, whichever process settles it. A job's "uncertain" request
// row is written just after the commit that set the job aside (needs attention: the submit's answer
// was lost), in a transaction of its own (the job event, or the recovery's); a second process on the
// same folder can settle that send in between - its reconciler adopts FAL's request, or finds FAL
// never received it - and takes back an uncertain row that is not there yet. The row written after
// that must not count the settled send again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { JobStore, type JobRow } from '../../../src/core/queue/store';
import { createStatsReader, createStatsRecorder, trackRequestOutcomes } from '../../../src/core/stats';
import { newJob } from '../../support/new-job';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'settle-child.ts');

let dir: string | undefined;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  db = dir = undefined;
});

/** The other process: runs the reconciler once on the shared folder. */
function settleInOtherProcess(dataDir: string, mode: 'adopt' | 'absent'): Promise<{ adopted: unknown[]; absent: unknown[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { adopted: unknown[]; absent: unknown[] }) : reject(new Error(`settle child exited ${code}: ${err}`))));
  });
}

function setup() {
  dir = mkdtempSync(join(tmpdir(), 'i2m-uncertain-race-'));
  db = openDatabase(dir);
  const store = new JobStore(db);
  const record = trackRequestOutcomes(createStatsRecorder(db));
  const reader = createStatsReader(db);
  const counts = () => {
    const model = reader.report().models[0];
    return { requests: model?.requests ?? 0, uncertain: model?.uncertain ?? 0, succeeded: model?.succeeded ?? 0 };
  };
  /** This process's worker sends a job and loses the answer: the commit that sets it aside (needs attention). */
  const loseAnswer = (): JobRow => {
    store.insertMany([newJob({ inputSha256: String(Math.random()), createdAt: Date.now() })]);
    const c = store.claimNext({ owner: 'a', now: Date.now(), leaseMs: 60_000, falAllowed: true })!;
    const sentAt = Date.now() - 5_000;
    store.update(c.id, c.fence, { submitStartedAt: sentAt, submitInputJson: JSON.stringify({ image_url: `https://v3.fal.media/${c.id}.png` }) }, sentAt);
    const at = Date.now();
    const row = store.update(
      c.id,
      c.fence,
      { state: 'needs_attention', finishedAt: at, leaseOwner: null, leaseExpiresAt: null, errorCode: 'submit_uncertain', errorMessage: 'no answer', message: 'no answer' },
      at,
    );
    return row!;
  };
  /** The job's request is followed to its end and recorded, as the engine does. */
  const finish = (id: string) => {
    const c = store.claimNext({ owner: 'a', now: Date.now(), leaseMs: 60_000, falAllowed: true, followAllowed: true })!;
    expect(c.id).toBe(id);
    record(succeed(c));
  };
  /** A claimed job's request made its model: downloaded, succeeded (the library commit). */
  const succeed = (c: JobRow): JobRow => {
    const at = Date.now();
    if (c.state === 'preparing') store.update(c.id, c.fence, { state: 'running' }, at);
    store.update(c.id, c.fence, { state: 'downloading' }, at);
    return store.update(c.id, c.fence, { state: 'succeeded', finishedAt: at + 1, leaseOwner: null, leaseExpiresAt: null }, at + 1)!;
  };
  return { store, record, counts, loseAnswer, finish, succeed };
}

it('adopted by another process before this one wrote the uncertain row: the send counts once, as the adopted request', async () => {
  const { record, counts, loseAnswer, store, finish } = setup();
  const aside = loseAnswer();
  // The other process's reconciler finds the request at FAL and adopts it, in the window.
  expect((await settleInOtherProcess(dir!, 'adopt')).adopted).toHaveLength(1);
  // This process now writes the outcome its commit told of (the job event).
  record(aside);
  // Adopted: one FAL request, followed now - not an uncertain one besides.
  expect(counts()).toEqual({ requests: 0, uncertain: 0, succeeded: 0 });
  expect(store.get(aside.id)).toMatchObject({ state: 'queued', falRequestId: expect.any(String) });
  finish(aside.id);
  expect(counts()).toEqual({ requests: 1, uncertain: 0, succeeded: 1 });
});

it('proven never received by another process before this one wrote the uncertain row: not counted, and the resend counts once', async () => {
  const { record, counts, loseAnswer, store, succeed } = setup();
  const aside = loseAnswer();
  expect((await settleInOtherProcess(dir!, 'absent')).absent).toHaveLength(1);
  record(aside);
  // FAL never received it: no FAL request at all.
  expect(counts()).toEqual({ requests: 0, uncertain: 0, succeeded: 0 });

  // Sent again (safe: FAL has no record) and made: one request in all.
  expect(store.requeue(aside.id, Date.now(), { resubmit: true, message: 'Queued again' })).not.toBeNull();
  const c = store.claimNext({ owner: 'a', now: Date.now(), leaseMs: 60_000, falAllowed: true })!;
  const sentAt = Date.now();
  store.update(c.id, c.fence, { submitStartedAt: sentAt }, sentAt);
  store.recordSubmission(c.id, c.fence, 'req-resent', 0, 15, sentAt + 1);
  record(succeed(c));
  expect(counts()).toEqual({ requests: 1, uncertain: 0, succeeded: 1 });
});

it('still uncertain when this process writes the row: counted once, however often it is written', async () => {
  const { record, counts, loseAnswer } = setup();
  const aside = loseAnswer();
  record(aside);
  // The same outcome from a second recorder on another connection (another process's engine).
  const other = openDatabase(dir!);
  try {
    trackRequestOutcomes(createStatsRecorder(other))(aside);
  } finally {
    other.close();
  }
  expect(counts()).toEqual({ requests: 1, uncertain: 1, succeeded: 0 });
});
