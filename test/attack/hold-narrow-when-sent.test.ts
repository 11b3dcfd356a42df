// Attack: the check before paying looked at the file's own size, not at what FAL receives. A long,
// narrow photo (a 6000 x 600 px panorama strip) is scaled to 2048 px on its long side, so FAL got a
// 2048 x 205 px image - far under the 512 px the app recommends - yet nothing was held or said (its
// short side, 600 px, passed), and a paid generator was charged for a poorer model. It is now held
// like a small photo, saying the size it is sent at.
import { afterEach, expect, it } from 'vitest';
import { makeTestPng } from '../fixtures/make-glb';
import { createHarness, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => h?.close());

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const item = async (name: string, width: number, height: number, seed: number) => ({ kind: 'bytes' as const, name, bytes: new Uint8Array(await makeTestPng(width, height, { seed })) });

it('a photo under 512 px on a side once scaled for upload is held for a paid generator, with the size sent', async () => {
  h = await createHarness();
  const result = await h.engine.addImages([await item('strip.png', 6000, 600, 3), await item('poster.png', 3000, 1500, 4)], { endpoint: TRIPO, holdConcerns: true });
  expect(result.held).toEqual([{ input: 'strip.png', text: 'strip.png (6000 x 600 px) is sent at 2048 x 205 px, scaled to 2048 px on its long side; results are better from images at least 512 px on each side.', item: 0, jobKey: expect.any(String) }]);
  // A large photo still large on both sides once scaled (2048 x 1024) goes at once.
  expect(result.added.map((job) => job.inputName)).toEqual(['poster.png']);
  await h.engine.waitForIdle();
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);
