// A drop whose insert fails partway (the database busy past its timeout, the disk full): the jobs
// inserted before the failure stay queued. The answer says how many photos were added (they are in
// the queue), that the rest were not and why, and what to do - not "Something went wrong inside the
// app" - and it comes once the jobs that were added are synced to disk.
import { afterEach, expect, it, vi } from 'vitest';
import * as images from '../../../src/core/images';
import { createDispatcher } from '../../../src/core/ipc/dispatch';
import { JobStore } from '../../../src/core/queue/store';
import type { Handlers } from '../../../src/shared/contract';
import { createHarness, pngItem, type Harness } from './harness';

/** Preparations of images named `slow*` wait until the test lets them go. */
const held = vi.hoisted(() => ({ release: null as (() => void) | null, gate: null as Promise<void> | null }));
vi.mock('../../../src/core/images', async (importOriginal) => {
  const original = await importOriginal<typeof images>();
  return {
    ...original,
    prepareInputBytes: async (...args: Parameters<typeof original.prepareInputBytes>) => {
      if (args[1].startsWith('slow') && held.gate) await held.gate;
      return original.prepareInputBytes(...args);
    },
  };
});

let h: Harness | undefined;
afterEach(async () => {
  held.release?.();
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

async function dropFailingOnSecondInsert(error: Error, force = false) {
  h = await createHarness({ start: false });
  const engine = h.engine;
  held.gate = new Promise<void>((resolve) => (held.release = resolve));
  const addOrJoin = JobStore.prototype.addOrJoin;
  let calls = 0;
  vi.spyOn(JobStore.prototype, 'addOrJoin').mockImplementation(function (this: JobStore, ...args: Parameters<JobStore['addOrJoin']>) {
    if (++calls === 2) throw error;
    return addOrJoin.apply(this, args);
  });
  const syncToDisk = JobStore.prototype.syncToDisk;
  const events: string[] = [];
  vi.spyOn(JobStore.prototype, 'syncToDisk').mockImplementation(async function (this: JobStore) {
    await syncToDisk.call(this);
    events.push(`synced ${engine.listJobs().length}`);
  });
  const dispatch = createDispatcher({ 'jobs:add': ({ items, ...opts }) => engine.addImages(items, opts) } as Partial<Handlers> as Handlers);
  const items = [await pngItem('first.png'), await pngItem('slow-1.png'), await pngItem('slow-2.png')];
  const answering = dispatch('jobs:add', { items, force }).then((answer) => {
    events.push('answered');
    return answer;
  });
  // The first photo's job is in before the slow ones are ready: their insert is the second.
  await vi.waitFor(() => expect(engine.listJobs()).toHaveLength(1), { timeout: 10_000 });
  held.release!();
  const answer = await answering;
  expect(answer.ok).toBe(false);
  return { engine, items, events, error: (answer as { ok: false; error: { code: string; message: string } }).error };
}

it('a disk that fills up partway: says how many were added and queued, that the rest were not, why, and to add them again', async () => {
  const { engine, items, events, error } = await dropFailingOnSecondInsert(sqliteError('SQLITE_FULL', 'database or disk is full'));
  expect(error.message).not.toMatch(/Something went wrong/);
  expect(error.code).toBe('io_error');
  expect(error.message).toMatch(/1 of the 3 photos was added/);
  expect(error.message).toMatch(/in the queue/);
  expect(error.message).toMatch(/other 2 were not/);
  expect(error.message).toMatch(/disk is full/i);
  expect(error.message).toMatch(/database or disk is full/);
  expect(error.message).toMatch(/add the photos again/i);
  expect(error.message).toMatch(/nothing is paid twice/);
  // The job added before the failure is queued, and was synced before the answer.
  expect(engine.listJobs().map((job) => job.inputName)).toEqual(['first.png']);
  expect(events).toEqual(['synced 1', 'answered']);

  // Doing what it says: the same drop again joins the queued job and adds the other two.
  vi.restoreAllMocks();
  const again = await engine.addImages(items, {});
  expect(again.joined?.map((joined) => joined.input)).toEqual(['first.png']);
  expect(engine.listJobs().map((job) => job.inputName).sort()).toEqual(['first.png', 'slow-1.png', 'slow-2.png']);
});

it('a database busy past its timeout: says another process held it, and what to do', async () => {
  const { engine, error } = await dropFailingOnSecondInsert(sqliteError('SQLITE_BUSY', 'database is locked'));
  expect(error.message).toMatch(/1 of the 3 photos was added/);
  expect(error.message).toMatch(/busy/i);
  expect(error.message).toMatch(/database is locked/);
  expect(engine.listJobs()).toHaveLength(1);
});

it('with "Make again anyway" the added photos would be made again: the answer names the ones to add again', async () => {
  const { error } = await dropFailingOnSecondInsert(sqliteError('SQLITE_FULL', 'database or disk is full'), true);
  expect(error.message).toMatch(/1 of the 3 photos was added/);
  expect(error.message).toMatch(/slow-1\.png/);
  expect(error.message).toMatch(/slow-2\.png/);
  expect(error.message).not.toMatch(/nothing is paid twice/);
});
