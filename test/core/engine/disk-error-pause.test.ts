// After the disk fails a sync (kept until a restart: db/wal-sync.ts), the queue pauses FAL work: no
// job is uploaded or sent any more, the jobs stay queued (not failed) and run after a restart, and the
// queue's state says why and what to do. Jobs FAL does not need still run.
import { afterEach, expect, it } from 'vitest';
import { OFFLINE_MODEL_ID } from '../../../src/core/models/catalog';
import { AppError } from '../../../src/shared/result';
import { createHarness, inState, pngItem, waitForJob, waitForQueue, waitUntil, WAIT_LIMIT_MS, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('after a failed sync nothing more is uploaded to FAL: the jobs stay queued, the queue says why, and they run after a restart', async () => {
  const disk = { failing: false };
  const fsyncWal = async () => {
    if (disk.failing) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
  };
  // One job at a time: the first one's armed submit meets the failing disk.
  h = await createHarness({ start: false, engine: { concurrency: 1, fsyncWal } });
  const added = await h.engine.addImages([await pngItem('a.png'), await pngItem('b.png'), await pngItem('c.png')], {});
  const ids = added.added.map((job) => job.id);
  disk.failing = true;
  await h.engine.start();

  // The first job was uploaded; its intent could not be synced: back to the queue, unsent.
  const first = await waitForJob(h.engine, ids[0]!, (job) => job.state === 'queued' && /disk reported an error/.test(job.message ?? ''));
  expect(first.message).toMatch(/nothing more is sent to FAL until Image2Model is restarted/);
  const paused = await waitForQueue(h.engine, (state) => state.status === 'disk_error');
  expect(paused.message).toBe(
    'Paused: the disk reported an error while saving (EIO: i/o error, fsync). Nothing more is sent to FAL; the waiting jobs stay in the queue. Check the disk, then restart Image2Model.',
  );
  await waitUntil(() => h!.queueStates.at(-1)?.status, (status) => status === 'disk_error', WAIT_LIMIT_MS, (status) => `last queue event: ${status}`);

  // A drop now is answered honestly: its offline job is in the queue and runs (it said it waited for a restart).
  const drop = await h.engine.addImages([await pngItem('offline.png')], { endpoint: OFFLINE_MODEL_ID }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(drop).toBeInstanceOf(AppError);
  expect((drop as AppError).code).toBe('io_error');
  expect((drop as AppError).message).toMatch(/EIO: i\/o error, fsync[\s\S]*It is in the queue and runs on this computer/);
  expect((drop as AppError).message).not.toMatch(/waits there until/);
  // An offline job sends nothing to FAL and runs: the scheduler claimed past the held FAL jobs.
  const offline = h.engine.listJobs().find((job) => job.endpoint === OFFLINE_MODEL_ID)!;
  await waitForJob(h.engine, offline.id, inState('succeeded'), 30_000);

  expect(h.fake.uploads()).toHaveLength(1);
  expect(h.fake.submissions).toHaveLength(0);
  expect(ids.map((id) => h!.engine.getJob(id)!.state)).toEqual(['queued', 'queued', 'queued']);
  expect(h.engine.queueState()).toMatchObject({ status: 'disk_error', queued: 3 });

  // Restarted with the disk checked: every job runs, the first without uploading again.
  disk.failing = false;
  await h.reopen();
  for (const id of ids) await waitForJob(h.engine, id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(3);
  expect(h.fake.uploads()).toHaveLength(3);
  expect(h.engine.queueState().status).toBe('running');
});

it('a sync that waits unusually long for the disk is shown in the queue state until it ends; nothing fails', async () => {
  let release: () => void = () => undefined;
  const disk = { hang: false };
  const fsyncWal = () => (disk.hang ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve());
  h = await createHarness({ start: false, engine: { fsyncWal, timing: { slowSyncMs: 1_000 } } });
  disk.hang = true;
  const adding = h.engine.addImages([await pngItem('slow.png')], {});
  const slow = await waitForQueue(h.engine, (state) => state.status === 'disk_slow');
  expect(slow.message).toBe(
    'Saving to disk is taking unusually long (over 1 s): new jobs and jobs about to be sent to FAL wait until the disk answers. Nothing is lost. If it stays this way, check the disk (free space, errors, a network or USB drive).',
  );
  await waitUntil(() => h!.queueStates.at(-1)?.status, (status) => status === 'disk_slow', WAIT_LIMIT_MS, (status) => `last queue event: ${status}`);
  disk.hang = false;
  release();
  const added = await adding;
  expect(added.added).toHaveLength(1);
  await waitForQueue(h.engine, (state) => state.status === 'running');
  await h.engine.start();
  await waitForJob(h.engine, added.added[0]!.id, inState('succeeded'));
});
