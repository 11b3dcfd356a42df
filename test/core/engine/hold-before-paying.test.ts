// The check before paying: a window's drop (holdConcerns) sends nothing to a paid generator for an image
// it would make a poorer model from (under 512 px, animated) - the answer holds it, with why, and no
// upload or submit reaches FAL - until the user sends it anyway. The free offline generator, the CLI
// and the watched folder (no holdConcerns) add such images as before, with the warning.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, pngItem, type Harness } from './harness';

let h: Harness;
afterEach(async () => h?.close());

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const bigItem = async (name: string, seed: number) => ({ kind: 'bytes' as const, name, bytes: new Uint8Array(await makeTestPng(640, 640, { seed })) });

describe('holding a poorer image before paying', () => {
  it('holds a small image for a paid generator and sends the rest', async () => {
    h = await createHarness();
    const result = await h.engine.addImages([await pngItem('stamp.png'), await bigItem('poster.png', 7)], { endpoint: TRIPO, holdConcerns: true });
    expect(result.added.map((job) => job.inputName)).toEqual(['poster.png']);
    expect(result.held).toEqual([{ input: 'stamp.png', text: expect.stringContaining('stamp.png is only 64 x 64 px'), item: 0, jobKey: expect.any(String) }]);
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(1);
    expect(h.fake.uploads()).toHaveLength(1);
    expect(h.engine.listJobs().map((job) => job.inputName)).toEqual(['poster.png']);
  });

  it('sends a held image once the user says so (the same call without holdConcerns)', async () => {
    h = await createHarness();
    const stamp = await pngItem('stamp.png');
    expect((await h.engine.addImages([stamp], { endpoint: TRIPO, holdConcerns: true })).held).toHaveLength(1);
    const sent = await h.engine.addImages([stamp], { endpoint: TRIPO });
    expect(sent.added).toHaveLength(1);
    expect(sent.held).toBeUndefined();
    expect(sent.warnings?.[0]?.text).toContain('stamp.png is only 64 x 64 px');
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a held image dropped again while the job it was sent anyway as is on its way joins that job, not held again', async () => {
    h = await createHarness({ start: false }); // the job stays queued: on its way
    const stamp = await pngItem('stamp.png');
    const sent = await h.engine.addImages([stamp], { endpoint: TRIPO });
    const again = await h.engine.addImages([stamp, await bigItem('poster.png', 9)], { endpoint: TRIPO, holdConcerns: true });
    expect(again.held).toBeUndefined();
    expect(again.joined).toEqual([{ input: 'stamp.png', jobId: sent.added[0]!.id, item: 0 }]);
    expect(again.added.map((job) => job.inputName).sort()).toEqual(['poster.png', 'stamp.png']);
    expect(h.engine.listJobs()).toHaveLength(2);
  });

  it('names the job each held image would make: one key for the same photo (two drops, another name), another for other settings', async () => {
    h = await createHarness();
    const key = async (item: Awaited<ReturnType<typeof pngItem>>, preset?: 'draft') => (await h.engine.addImages([item], { endpoint: TRIPO, holdConcerns: true, ...(preset ? { preset } : {}) })).held?.[0]?.jobKey;
    const stamp = await pngItem('stamp.png');
    const first = await key(stamp);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await key(stamp)).toBe(first);
    expect(await key({ ...stamp, name: 'stamp copy.png' })).toBe(first);
    expect(await key(stamp, 'draft')).not.toBe(first);
    // Sent anyway, both copies: one job, as the one key said.
    const sent = await h.engine.addImages([stamp, { ...stamp, name: 'stamp copy.png' }], { endpoint: TRIPO });
    expect(new Set(sent.added.map((job) => job.id)).size).toBe(1);
  });

  it('does not hold for the free offline generator', async () => {
    h = await createHarness();
    const result = await h.engine.addImages([await pngItem('stamp.png')], { endpoint: 'offline/relief', holdConcerns: true });
    expect(result.added).toHaveLength(1);
    expect(result.held).toBeUndefined();
    expect(result.warnings).toHaveLength(1);
  });
});
