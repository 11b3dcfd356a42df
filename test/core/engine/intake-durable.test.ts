// A drop is answered only once its jobs would survive a power cut, and adding them does not make the
// engine's thread (in the app, the one that serves the window) wait for the disk: the insert commits
// as any other and the WAL is synced off the thread (JobStore.syncToDisk), not by SQLite's own fsync
// inside COMMIT (PRAGMA synchronous = FULL), which held the thread 3-10 ms per insert under load.
import Database from 'better-sqlite3';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createDispatcher } from '../../../src/core/ipc/dispatch';
import { JobStore } from '../../../src/core/queue/store';
import type { Handlers } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/result';
import { descriptorsOn } from '../../support/open-descriptors';
import { createHarness, pngItem, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

it('answers a drop once the WAL holding its jobs is synced off the thread, never with a synced COMMIT', async () => {
  h = await createHarness({ start: false });
  let release!: () => void;
  const synced = new Promise<void>((resolve) => (release = resolve));
  const sync = vi.spyOn(JobStore.prototype, 'syncToDisk').mockImplementation(() => synced);
  const pragma = Database.prototype.pragma;
  const pragmas: string[] = [];
  vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (this: Database.Database, source: string, options?: Database.PragmaOptions) {
    pragmas.push(source);
    return pragma.call(this, source, options);
  } as typeof pragma);

  let answered = false;
  const adding = h.engine.addImages([await pngItem('a.png'), await pngItem('b.png')], {}).then((result) => {
    answered = true;
    return result;
  });
  await vi.waitFor(() => expect(sync).toHaveBeenCalled(), { timeout: 10_000 });
  // The jobs are in (and may start: any submit waits for the same sync), the caller not answered yet.
  expect(h.engine.listJobs().map((job) => job.inputName).sort()).toEqual(['a.png', 'b.png']);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(answered).toBe(false);
  release();
  expect((await adding).added.map((job) => job.inputName)).toEqual(['a.png', 'b.png']);
  expect(pragmas.filter((source) => /synchronous\s*=\s*full/i.test(source))).toEqual([]);
});

it('a failed sync fails the drop: the caller is not told its jobs are safe', async () => {
  h = await createHarness({ start: false });
  vi.spyOn(JobStore.prototype, 'syncToDisk').mockRejectedValue(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
  await expect(h.engine.addImages([await pngItem('c.png')], {})).rejects.toThrow(/EIO/);
});

// A failed sync comes after the commit: the jobs are in the queue already (they survive anything but
// a power cut, and none is sent to FAL before a later sync succeeds: fal-steps arm). The window shows
// only an AppError's own words - any other error reads "Something went wrong inside the app. Please
// try again.", and a drop made again with "Make again anyway" (force) would be paid for twice.
const diskError = () => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });

it('a drop whose sync fails is answered with the disk error and where its jobs are; adding it again joins them', async () => {
  h = await createHarness({ start: false });
  const engine = h.engine;
  vi.spyOn(JobStore.prototype, 'syncToDisk').mockRejectedValueOnce(diskError());
  const dispatch = createDispatcher({ 'jobs:add': ({ items, ...opts }) => engine.addImages(items, opts) } as Partial<Handlers> as Handlers);
  const items = [await pngItem('d.png'), await pngItem('e.png')];

  const answer = await dispatch('jobs:add', { items });
  expect(answer.ok).toBe(false);
  const error = (answer as { ok: false; error: { code: string; message: string } }).error;
  expect(error.code).toBe('io_error');
  expect(error.message).toContain('EIO: i/o error, fsync');
  expect(error.message).toMatch(/2 new jobs/);
  expect(error.message).toMatch(/in the queue/);
  const queued = engine.listJobs();
  expect(queued.map((job) => job.inputName).sort()).toEqual(['d.png', 'e.png']);

  // The same drop again (the disk answers now) follows those jobs: nothing is added twice.
  const again = await engine.addImages(items, {});
  expect(again.joined?.map((joined) => joined.jobId).sort()).toEqual(queued.map((job) => job.id).sort());
  expect(engine.listJobs()).toHaveLength(2);
});

it('a set whose sync fails is answered with the disk error and where its job is', async () => {
  h = await createHarness({ start: false });
  vi.spyOn(JobStore.prototype, 'syncToDisk').mockRejectedValueOnce(diskError());
  const members = [{ item: await pngItem('f.png') }, { item: await pngItem('g.png') }];
  const failed = await h.engine.addSet(members, { endpoint: 'fal-ai/hyper3d/rodin' }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failed).toBeInstanceOf(AppError);
  expect((failed as AppError).code).toBe('io_error');
  expect((failed as AppError).message).toMatch(/EIO: i\/o error, fsync[\s\S]*in the queue/);
  // The disk's own error is kept for the log (the dispatcher logs an AppError's cause).
  expect(((failed as AppError).cause as NodeJS.ErrnoException).code).toBe('EIO');
  expect(h.engine.listJobs()).toHaveLength(1);
});

it.runIf(process.platform === 'linux')("closing the engine lets go of the WAL's descriptor before the database closes (Windows keeps a deleted file pending while a handle is open)", async () => {
  h = await createHarness({ start: false });
  await h.engine.addImages([await pngItem('h.png')], {});
  const wal = join(realpathSync(h.dataDir), 'image2model.db-wal');
  expect(descriptorsOn(wal).size).toBeGreaterThan(0);
  await h.engine.close();
  expect(descriptorsOn(wal)).toEqual(new Set());
  expect(descriptorsOn(`${wal} (deleted)`)).toEqual(new Set());
});
