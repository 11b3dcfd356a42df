// Attack: switching a waiting job to another generator skipped the "already made" check adding a
// photo makes. A photo made with TRELLIS (its model in the library), then added again with Tripo and
// left waiting (no key yet): switching that job to TRELLIS with the same preset made it an exact twin
// of the model already made - sent and paid for a second time, with no question (an add of the same
// photo and settings would have said "already in your library", and joined a job on its way). Now a
// switch onto what another job made, is making or may be charged for is refused, saying so.
import { afterEach, expect, it } from 'vitest';
import { createHarness, inState, pngItem, waitForJob, waitForQueue, type Harness } from '../core/engine/harness';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const TRELLIS = 'fal-ai/trellis';
const RELIEF = 'offline/relief';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('a waiting job switched onto the generator and preset its photo was already made with: refused, nothing sent twice', async () => {
  h = await createHarness();
  const photo = await pngItem();
  const made = (await h.engine.addImages([photo], { endpoint: TRELLIS, preset: 'standard' })).added[0]!;
  await waitForJob(h.engine, made.id, inState('succeeded'));
  h.key.value = null;
  const waiting = (await h.engine.addImages([photo], { endpoint: TRIPO, preset: 'standard' })).added[0]!;
  await waitForQueue(h.engine, (s) => s.status === 'no_key' && s.queued === 1);

  expect(() => h!.engine.setModel(waiting.id, { endpoint: TRELLIS, preset: 'standard' })).toThrow(
    expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/already.*second model/is) }),
  );
  expect(h.engine.getJob(waiting.id)).toMatchObject({ endpoint: TRIPO, state: 'queued' });
  // Another preset is another model: allowed. So is the offline generator (nothing to pay).
  expect(h.engine.setModel(waiting.id, { endpoint: TRELLIS, preset: 'high' })).toMatchObject({ endpoint: TRELLIS, preset: 'high' });
  expect(h.engine.setModel(waiting.id, { endpoint: RELIEF })).toMatchObject({ endpoint: RELIEF });
  expect(h.fake.submissions).toHaveLength(1);
});

it('a waiting job switched onto a twin still on its way: refused', async () => {
  h = await createHarness();
  h.key.value = null;
  const photo = await pngItem();
  const first = (await h.engine.addImages([photo], { endpoint: TRELLIS, preset: 'standard' })).added[0]!;
  const second = (await h.engine.addImages([photo], { endpoint: TRIPO, preset: 'standard' })).added[0]!;
  expect(second.id).not.toBe(first.id);
  expect(() => h!.engine.setModel(second.id, { endpoint: TRELLIS, preset: 'standard' })).toThrow(expect.objectContaining({ code: 'conflict' }));
  expect(h.engine.getJob(second.id)).toMatchObject({ endpoint: TRIPO });
});
