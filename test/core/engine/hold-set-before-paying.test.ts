// The check before paying, for sets (one model from several photos): a window's set (holdConcerns)
// with a photo a paid generator would make a poorer model from (under 512 px, animated) was sent and
// charged at once, where the same photo dropped alone is held. Now the set is held whole - nothing
// uploaded or submitted - until the user sends it anyway; the same set on its way is joined instead.
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, pngItem, type Harness } from './harness';

let h: Harness;
afterEach(async () => h?.close());

const RODIN = 'fal-ai/hyper3d/rodin';
const big = async (name: string, seed: number) => ({ item: { kind: 'bytes' as const, name, bytes: new Uint8Array(await makeTestPng(640, 640, { seed })) } });

describe('holding a set with a poorer photo before paying', () => {
  it('holds the whole set, naming the small photo, and sends nothing', async () => {
    h = await createHarness();
    const set = [await big('mug-a.png', 51), { item: await pngItem('mug-b.png') }];
    const result = await h.engine.addSet(set, { endpoint: RODIN, holdConcerns: true });
    expect(result.added).toEqual([]);
    expect(result.held).toEqual([{ input: 'mug-b.png', text: expect.stringContaining('mug-b.png is only 64 x 64 px'), jobKey: expect.any(String) }]);
    await h.engine.waitForIdle();
    expect(h.engine.listJobs()).toEqual([]);
    expect(h.fake.uploads()).toHaveLength(0);
    expect(h.fake.submissions).toHaveLength(0);
    // Held again (a second drop): the same job, so "Send anyway" prices it once.
    expect((await h.engine.addSet(set, { endpoint: RODIN, holdConcerns: true })).held?.[0]?.jobKey).toBe(result.held?.[0]?.jobKey);

    // Send anyway: the same set without holdConcerns, one job, one submit.
    const sent = await h.engine.addSet(set, { endpoint: RODIN });
    expect(sent.added).toHaveLength(1);
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('joins the same set on its way instead of holding it again', async () => {
    h = await createHarness({ start: false });
    const set = [await big('cup-a.png', 52), { item: await pngItem('cup-b.png') }];
    const sent = await h.engine.addSet(set, { endpoint: RODIN });
    const again = await h.engine.addSet(set, { endpoint: RODIN, holdConcerns: true });
    expect(again.held).toBeUndefined();
    expect(again.joined?.map((entry) => entry.jobId)).toEqual([sent.added[0]!.id]);
    expect(h.engine.listJobs()).toHaveLength(1);
  });

  it('does not hold a set of good photos', async () => {
    h = await createHarness({ start: false });
    const good = await h.engine.addSet([await big('a.png', 53), await big('b.png', 54)], { endpoint: RODIN, holdConcerns: true });
    expect(good.added).toHaveLength(1);
    expect(good.held).toBeUndefined();
  });
});
