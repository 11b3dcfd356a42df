// A drop is answered only once its jobs would survive a power cut, and adding them does not make the
// engine's thread (in the app, the one that serves the window) wait for the disk: the insert commits
// as any other and the WAL is synced off the thread (JobStore.syncToDisk), not by SQLite's own fsync
// inside COMMIT (PRAGMA synchronous = FULL), which held the thread 3-10 ms per insert under load.
import Database from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import { JobStore } from '../../../src/core/queue/store';
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
