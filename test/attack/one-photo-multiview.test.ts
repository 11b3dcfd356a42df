// One photo with Tripo v2.5 Multiview chosen - the chooser remembers the generator of the last set, so
// the next dropped photo, or "Try a sample" once the queue is empty, goes there: the photo was refused
// with "Tripo v2.5 Multiview needs the view of each image (front, left, back, right)", though the model
// takes a front view alone (its other views are optional) and the user had given exactly one image.
// Now one photo is the front view: it is sent as front_image_url, the same as a set of just that front.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import type { AddJobsResult } from '../../src/shared/contract';
import { sampleJobName } from '../../src/shared/samples';
import { createHarness, pngItem, type Harness } from '../core/engine/harness';
import { useTempAppCore } from '../support/temp-app-core';

const MULTIVIEW = 'tripo3d/tripo/v2.5/multiview-to-3d';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('one photo with Tripo v2.5 Multiview', () => {
  it('is made from its front view, and is the same model as a set of only that front view', async () => {
    h = await createHarness();
    const photo = await pngItem('mug.png');
    const result = await h.engine.addImages([photo], { endpoint: MULTIVIEW, preset: 'draft' });
    expect(result.rejected).toEqual([]);
    expect(result.added).toHaveLength(1);
    await h.engine.waitForIdle();

    const done = h.engine.getJob(result.added[0]!.id)!;
    expect(done.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
    const input = h.fake.submissions[0]!.input as Record<string, unknown>;
    expect(input.front_image_url).toEqual(expect.any(String));
    expect(input).not.toHaveProperty('left_image_url');
    expect(input).not.toHaveProperty('image_url');

    // The same photo as a one-image set with the front view: already made, not paid for again.
    const asSet = await h.engine.addSet([{ item: photo, role: 'front' }], { endpoint: MULTIVIEW, preset: 'draft' });
    expect(asSet.duplicates).toEqual([{ input: 'mug', modelId: done.modelId }]);
    expect(h.fake.submissions).toHaveLength(1);
  });

  const startCore = useTempAppCore('one-photo-multiview');
  it('"Try a sample" works while Tripo v2.5 Multiview is the chosen generator', async () => {
    const { core } = await startCore({
      settings: () => ({ defaultModel: MULTIVIEW, defaultModelChosen: true }),
      options: { samplesDir: join(import.meta.dirname, '../../resources/samples') },
    });
    const added = await core.dispatch('samples:add', { id: 'vase' });
    expect(added).toMatchObject({ ok: true });
    const result = (added as { data: AddJobsResult }).data;
    expect(result.rejected).toEqual([]);
    expect(result.added[0]).toMatchObject({ endpoint: MULTIVIEW, inputName: sampleJobName('vase') });
    // No key: it waits, and "Run these jobs offline now" can still move it to Relief (one image, no view).
    const moved = await core.dispatch('jobs:setModel', { id: result.added[0]!.id, endpoint: OFFLINE_MODEL_ID });
    expect(moved).toMatchObject({ ok: true, data: { endpoint: OFFLINE_MODEL_ID } });
  });
});
