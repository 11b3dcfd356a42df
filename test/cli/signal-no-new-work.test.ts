// A signal that stops a convert (the terminal closed, a kill, Ctrl-C) means no new work: the CLI said
// so, but only stopped claiming jobs once the images still being added were in and the summary was
// written. A folder of photos takes seconds to add, and every job added meanwhile was sent to FAL - and
// paid for - after the terminal was closed: all 24 of them. Now claims end at the signal; the submit on
// its way is waited for and keeps its request id, the jobs not sent stay queued (no lease) for resume.
// The real bin against the fake FAL server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTestJpeg } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { openDatabase } from '../../src/core/db/open';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const PHOTOS = 24;
let work = '';
let fake: FakeFal;
/** The fake's number (1, 2, ...) of the run's first job. */
let firstSeq = 1;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-signal-work-'));
  // The run's first job FAL holds a while; the rest it makes at once, so a free slot sends the next job.
  fake = await startFakeFal({ concurrency: 8, processingMs: ({ seq }) => (seq === firstSeq ? 5_000 : 20) });
  const folder = join(work, 'photos');
  mkdirSync(folder);
  for (let i = 0; i < PHOTOS; i++) writeFileSync(join(folder, `photo-${i}.jpg`), await makeTestJpeg(1200, 900, { seed: 300 + i }));
}, 120_000);
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

function storedJobs(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    return db.prepare('SELECT state, fal_request_id, lease_owner FROM jobs').all() as { state: string; fal_request_id: string | null; lease_owner: string | null }[];
  } finally {
    db.close();
  }
}

it.each(['SIGHUP', 'SIGTERM'] as const)('%s while a folder is still being added: nothing more is sent to FAL', async (signal) => {
  const dataDir = join(work, `data-${signal}`);
  const before = fake.submissions.length;
  firstSeq = before + 1;
  let sentAtSignal = -1;
  const run = await runCli(['convert', join(work, 'photos'), '--concurrency', '2', '--force', '--out', join(work, `out-${signal}`), '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], {
    env: { FAL_KEY: 'cli-test-key-123456' },
    onSpawn: (child) => {
      const look = setInterval(() => {
        if (fake.submissions.length === before) return;
        clearInterval(look);
        sentAtSignal = fake.submissions.length - before;
        child.kill(signal);
      }, 2);
      child.on('exit', () => clearInterval(look));
    },
  });
  expect(sentAtSignal).toBe(1);
  expect(run.code).toBe(signal === 'SIGHUP' ? 129 : 143);
  // At most the other slot's submit was already on its way when the signal came.
  expect(fake.submissions.length - before).toBeLessThanOrEqual(2);
  const stored = storedJobs(dataDir);
  expect(stored.every((job) => job.lease_owner === null)).toBe(true);
  // Sent ones keep their request id; none is failed (free to send again) or needs attention.
  expect(stored.filter((job) => job.fal_request_id !== null).length).toBe(fake.submissions.length - before);
  expect(stored.filter((job) => job.fal_request_id === null).every((job) => job.state === 'queued')).toBe(true);
}, 180_000);
