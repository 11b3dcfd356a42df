// A drop of many photos: the first jobs start while later photos are still being prepared, not
// after the whole drop (200 photos took seconds before anything was sent); the call's answer is the
// same as before - every image in order, rejected ones named, a repeated photo joined.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as images from '../../../src/core/images';
import type { AddJobsResult } from '../../../src/shared/contract';
import { createHarness, pngItem, type Harness } from './harness';

/** Preparations of images named `slow*` wait until the test lets them go. */
const held = vi.hoisted(() => ({
  release: null as (() => void) | null,
  gate: null as Promise<void> | null,
  releaseLate: null as (() => void) | null,
  lateGate: null as Promise<void> | null,
}));
vi.mock('../../../src/core/images', async (importOriginal) => {
  const original = await importOriginal<typeof images>();
  return {
    ...original,
    prepareInputBytes: async (...args: Parameters<typeof original.prepareInputBytes>) => {
      if (args[1].startsWith('slow') && held.gate) await held.gate;
      if (args[1].startsWith('late') && held.lateGate) await held.lateGate;
      return original.prepareInputBytes(...args);
    },
  };
});

let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  held.release?.();
  held.releaseLate?.();
  held.lateGate = null;
  await h?.close();
  h = undefined;
});

function hold(): void {
  held.gate = new Promise<void>((resolve) => (held.release = resolve));
}

describe('adding many images', () => {
  it('inserts the first jobs while a later image is still being prepared', async () => {
    h = await createHarness({ start: false });
    hold();
    const first = await pngItem('first.png');
    const second = await pngItem('second.png');
    const slow = await pngItem('slow.png');
    const adding = h.engine.addImages([first, second, slow], {});
    const deadline = Date.now() + 10_000;
    while (h.engine.listJobs().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(h.engine.listJobs().map((job) => job.inputName).sort()).toEqual(['first.png', 'second.png']);
    held.release!();
    const result = await adding;
    expect(result.added.map((job) => job.inputName)).toEqual(['first.png', 'second.png', 'slow.png']);
    expect(h.engine.listJobs()).toHaveLength(3);
  });

  it('answers as one call: rejected images named, a photo given twice joins the job its first copy made', async () => {
    h = await createHarness({ start: false });
    hold();
    const photo = await pngItem('photo.png');
    const items = [photo, await pngItem('slow.png')];
    for (let i = 0; i < 11; i++) items.push(await pngItem(`other-${i}.png`));
    items.push({ ...photo, name: 'photo-again.png' });
    items.push({ kind: 'bytes', name: 'broken.png', bytes: new Uint8Array([1, 2, 3]) });
    const adding = h.engine.addImages(items, {});
    // The first photo's job is in before the rest: its copy joins it from a later insert.
    const deadline = Date.now() + 10_000;
    while (h.engine.listJobs().length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    held.release!();
    const result = await adding;
    expect(result.added).toHaveLength(13);
    expect(result.rejected.map((r) => r.input)).toEqual(['broken.png']);
    expect(result.joined).toEqual([{ input: 'photo-again.png', jobId: result.added[0]!.id, sameCall: true, item: 13 }]);
    expect(h.engine.listJobs()).toHaveLength(13);
  });

  it('inserts the first jobs of a drop as each image is ready, without the pause later inserts keep', async () => {
    h = await createHarness({ start: false });
    hold();
    held.lateGate = new Promise<void>((resolve) => (held.releaseLate = resolve));
    const items = [await pngItem('first.png'), await pngItem('late.png'), await pngItem('slow.png')];
    // The (monotonic) clock stands still: an insert that waits for the pause between inserts never comes.
    vi.spyOn(performance, 'now').mockReturnValue(performance.now());
    const adding = h.engine.addImages(items, {});
    await vi.waitFor(() => expect(h!.engine.listJobs().map((job) => job.inputName)).toEqual(['first.png']), { timeout: 10_000 });
    held.releaseLate!();
    // Ready after the first insert: in at once (one of the first jobs, which fill the slots).
    await vi.waitFor(() => expect(h!.engine.listJobs().map((job) => job.inputName).sort()).toEqual(['first.png', 'late.png']), { timeout: 5_000 });
    held.release!();
    expect((await adding).added.map((job) => job.inputName)).toEqual(['first.png', 'late.png', 'slow.png']);
  });

  /**
   * Adds `count` photos and a held `slow.png` with the monotonic clock standing still (an insert that waits for
   * the pause between inserts then never comes); resolves once `atLeast` jobs are in.
   */
  async function dropWithClockStill(count: number, atLeast: number): Promise<{ adding: Promise<AddJobsResult> }> {
    hold();
    const items = [];
    for (let i = 0; i < count; i++) items.push(await pngItem(`photo-${i}.png`));
    items.push(await pngItem('slow.png'));
    vi.spyOn(performance, 'now').mockReturnValue(performance.now());
    const adding = h!.engine.addImages(items, {});
    // An insert takes every photo ready by then: the one awaited may come with the next.
    await vi.waitFor(() => expect(h!.engine.listJobs().length).toBeGreaterThanOrEqual(atLeast), { timeout: 10_000 });
    return { adding }; // not the promise itself: an async function would wait for it
  }

  it('inserts the first 16 jobs of a drop without the pause: 8 for the slots, 8 ready when those finish', async () => {
    h = await createHarness({ start: false });
    const { adding } = await dropWithClockStill(16, 16);
    held.release!();
    expect((await adding).added).toHaveLength(17);
  });

  it('once the queue has run dry, each photo is queued as soon as it is ready, without the pause', async () => {
    // 12 slots (the engine allows more than the settings' 8): 12 jobs at FAL and 12 ready for the
    // hand-off is more than the first 16 a drop inserts at once.
    h = await createHarness({ fake: { holdJobs: true }, engine: { concurrency: 12 } });
    const { adding } = await dropWithClockStill(24, 24);
    held.release!();
    expect((await adding).added).toHaveLength(25);
  });

  it('keeps the pause while FAL jobs are held (no key): nothing would be claimed sooner', async () => {
    h = await createHarness({ engine: { concurrency: 12 } });
    h.key.value = null;
    const { adding } = await dropWithClockStill(20, 16);
    // The rest wait for the pause (the clock stands still) until the call's last photo is ready.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.engine.listJobs().length).toBeLessThan(20);
    held.release!();
    expect((await adding).added).toHaveLength(21);
  });

  it('a wall clock set back (NTP, the user) does not hold the inserts after the first 16 until the drop is prepared', async () => {
    h = await createHarness({ start: false });
    hold();
    held.lateGate = new Promise<void>((resolve) => (held.releaseLate = resolve));
    const items = [];
    for (let i = 0; i < 16; i++) items.push(await pngItem(`photo-${i}.png`));
    items.push(await pngItem('slow.png'), await pngItem('late.png'));
    const adding = h.engine.addImages(items, {});
    await vi.waitFor(() => expect(h!.engine.listJobs()).toHaveLength(16), { timeout: 10_000 });
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 3_600_000);
    held.release!();
    // Ready while late.png is still being prepared: in after the pause, not an hour later or at the end.
    await vi.waitFor(() => expect(h!.engine.listJobs().map((job) => job.inputName)).toContain('slow.png'), { timeout: 10_000 });
    held.releaseLate!();
    expect((await adding).added).toHaveLength(18);
  });
});
