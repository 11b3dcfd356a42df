// Two engines on one data folder (as the desktop app and a CLI run): each sees, within a second,
// what the other does to jobs and the library - as job, queue and library events.
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/core/engine';
import { createPresetStore } from '../../../src/core/export/preset-store';
import type { Job } from '../../../src/shared/domain';
import { addOne, createHarness, FAST_TIMING, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
let observer: Engine | undefined;
afterEach(async () => {
  await observer?.close();
  observer = undefined;
  await h?.close();
  h = undefined;
});

async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('changes made by another engine on the same folder', () => {
  it('reach the other engine as events: the job to succeeded, the model added, then renamed and deleted', async () => {
    h = await createHarness();
    // The observer has no key: it cannot run the FAL job itself, it only watches.
    observer = createEngine({ dataDir: h.dataDir, getFalKey: () => null, timing: { ...FAST_TIMING, changePollMs: 100 } });
    const seen: Job[] = [];
    const library: string[] = [];
    let queueEvents = 0;
    observer.on('job', (job) => seen.push(job));
    observer.on('library', (change) => library.push(`${change.kind}:${change.id}`));
    observer.on('queue', () => queueEvents++);
    await observer.start();

    const id = await addOne(h.engine);
    const done = await waitForJob(h.engine, id, inState('succeeded'));
    await until(() => seen.some((job) => job.id === id && job.state === 'succeeded'), 2_000);
    await until(() => library.includes(`added:${done.modelId}`), 2_000);
    expect(seen.filter((job) => job.id === id).map((job) => job.state)).toContain('succeeded');
    expect(queueEvents).toBeGreaterThan(0);

    h.engine.library.rename(done.modelId!, 'Renamed elsewhere');
    await until(() => library.includes(`updated:${done.modelId}`), 2_000);
    h.engine.library.delete(done.modelId!);
    await until(() => library.includes(`removed:${done.modelId}`), 2_000);
  });

  it('export presets another process saves or deletes (the CLI) reach the engine as a presets event', async () => {
    h = await createHarness({ start: false });
    observer = createEngine({ dataDir: h.dataDir, getFalKey: () => null, timing: { ...FAST_TIMING, changePollMs: 100 } });
    let told = 0;
    observer.on('presets', () => told++);
    await observer.start();
    // The CLI's --save-preset and --delete-preset: the store of another process, no engine.
    const cli = createPresetStore(h.dataDir);
    const saved = await cli.save({ label: 'Shop AR', recipe: { formats: ['glb'] } });
    await until(() => told === 1, 2_000);
    await cli.remove(saved.id);
    await until(() => told === 2, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few polls more: nothing changed, nothing told
    expect(told).toBe(2);
  });

  it('a waiter on one engine learns that the other finished its job (no hang)', async () => {
    h = await createHarness({ start: false });
    observer = createEngine({ dataDir: h.dataDir, getFalKey: () => null, timing: { ...FAST_TIMING, changePollMs: 100 } });
    await observer.start();
    const id = await addOne(observer); // added by the observer, run by the other engine
    const finished = new Promise<Job>((resolve) => observer!.on('job', (job) => job.id === id && job.state === 'succeeded' && resolve(job)));
    await h.engine.start();
    const job = await Promise.race([finished, new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000))]);
    expect(job?.state).toBe('succeeded');
  });
});
