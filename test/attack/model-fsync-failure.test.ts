// A model whose downloaded file cannot be made durable (fsync fails: a disk error) must not enter the
// library: the check runs while that fsync is still going (result-steps.ts), and storing waits for it.
// The job keeps its request id - downloading it again is free - and no temp file stays behind.
import type * as Fs from 'node:fs';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

const disk = vi.hoisted(() => ({ failModelSync: 0, fds: new Set<number>() }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof Fs>();
  // Remembers the descriptors of model downloads (temp files in the library folder)...
  const open = ((path: Fs.PathLike, flags: Fs.OpenMode, ...rest: unknown[]) => {
    const callback = rest.pop() as (error: NodeJS.ErrnoException | null, fd: number) => void;
    const isModelDownload = String(path).includes(`${'library'}`) && String(path).endsWith('.download');
    return (actual.open as (...args: unknown[]) => void)(path, flags, ...rest, (error: NodeJS.ErrnoException | null, fd: number) => {
      if (!error && isModelDownload) disk.fds.add(fd);
      callback(error, fd);
    });
  }) as typeof actual.open;
  // ...and fails their fsync while armed, as a failing disk would.
  const fsync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    if (disk.failModelSync > 0 && disk.fds.has(fd)) {
      disk.failModelSync--;
      disk.fds.delete(fd);
      setImmediate(() => callback(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })));
      return;
    }
    actual.fsync(fd, callback);
  }) as typeof actual.fsync;
  return { ...actual, open, fsync, default: { ...actual, open, fsync } };
});

let h: Harness | undefined;
afterEach(async () => {
  disk.failModelSync = 0;
  disk.fds.clear();
  await h?.close();
  h = undefined;
});

const tempFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((name) => name.includes('.tmp-')) : []);

it('a model file whose fsync fails is not added to the library; the job keeps its request id and leaves no temp file', async () => {
  h = await createHarness();
  disk.failModelSync = Infinity;
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 30_000);
  // Failed with the free way out offered (Download again), not a paid retry.
  expect(job).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
  expect(job.errorMessage).toContain('Download again (free)');
  expect(job.falRequestId).not.toBeNull();
  expect(h.engine.library.list({ offset: 0, limit: 10 }).items).toHaveLength(0);
  await h.engine.waitForIdle();
  expect(tempFiles(join(h.dataDir, 'library'))).toEqual([]);
  expect(h.fake.requestsFor('submit')).toHaveLength(1);
}, 60_000);
