// Attack: the data folder moved away (or removed) under the running app at the wrong moment. The
// engine checks it is still in place before a model is fetched and before photos are prepared - but
// the folder could go right after: while FAL's answer for a finished job was on its way, or while the
// photos of a drop were prepared. The next file written (the model's temp file, a prepared photo) made
// the folder anew at its old place ("made again, should it vanish"), leaving an empty skeleton there
// that keeps the user from putting the real one back.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | null = null;
let moved: string | null = null;
afterEach(async () => {
  if (h && moved && existsSync(moved)) {
    rmSync(h.dataDir, { recursive: true, force: true });
    renameSync(moved, h.dataDir);
  }
  moved = null;
  await h?.close();
  h = null;
});

function moveAway(harness: Harness): void {
  moved = `${harness.dataDir}-moved`;
  renameSync(harness.dataDir, moved);
}

it('moved while FAL\'s answer for the finished job was on its way: the job ends data_folder_gone and no folder is made at the old place', async () => {
  h = await createHarness({ fake: { processingMs: 20 } });
  const harness = h;
  // FAL's answer is asked for once the job is ready to be fetched (the folder was checked just before).
  harness.fake.script({ op: 'result', times: 1, when: () => (moveAway(harness), false) });
  const id = await addOne(harness.engine);
  const ended = await waitForJob(harness.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(moved).not.toBeNull();
  expect(ended).toMatchObject({ state: 'failed', errorCode: 'data_folder_gone' });
  expect(ended.falRequestId).not.toBeNull();
  expect(existsSync(harness.dataDir)).toBe(false);
}, 30_000);

it('moved while the photos of a drop were prepared: nothing is made at the old place, and the drop says the folder went', async () => {
  h = await createHarness();
  const photos = [await pngItem(), await pngItem(), await pngItem()];
  // The folder is checked when the drop starts; it goes before the first photo is written.
  const adding = h.engine.addImages(photos, {});
  moveAway(h);
  const outcome = await adding.then((result) => ({ result, error: null }), (error: unknown) => ({ result: null, error }));
  expect(existsSync(h.dataDir)).toBe(false);
  // Never a job whose photo is in a folder that is not the data folder; the answer names what happened.
  const said = outcome.error instanceof Error ? outcome.error.message : JSON.stringify(outcome.result?.rejected ?? []);
  expect(outcome.result?.added ?? []).toEqual([]);
  expect(said).toMatch(/moved or removed/);
  expect(said).not.toMatch(/ENOENT/);
});

it('moved while the images of a set were prepared: refused saying the folder went, nothing made at the old place', async () => {
  h = await createHarness();
  const adding = h.engine.addSet([{ item: await pngItem() }, { item: await pngItem() }], { endpoint: 'fal-ai/hyper3d/rodin' });
  moveAway(h);
  await expect(adding).rejects.toMatchObject({ code: 'io_error', message: expect.stringMatching(/moved or removed.*Put the folder back/) });
  expect(existsSync(h.dataDir)).toBe(false);
});
