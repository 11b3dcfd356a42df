// The same photo dropped after the long side changed joins its waiting twin (known by its original's
// sha256). Before, a twin matched only by its prepared bytes, so the drop (re)wrote the twin's own
// prepared copy; now the drop prepares other bytes, and a twin whose prepared copy is gone (removed
// from the data folder by hand, a sync tool) was joined as it was: it failed ("the prepared copy is
// missing, add the image again") - the photo the user had just added again was never made.
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS } from '../../src/core/images';
import { createHarness, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';
import { makeTestJpeg } from '../fixtures/make-glb';

let h: Harness | undefined;
const work = mkdtempSync(join(tmpdir(), 'i2m-joined-input-missing-'));
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('a waiting twin whose prepared copy is gone takes the new drop’s copy, and the photo is made once', async () => {
  h = await createHarness();
  h.key.value = null; // the job waits (no key yet)
  const photo = join(work, 'stool.jpg');
  writeFileSync(photo, await makeTestJpeg(3000, 1000, { seed: 1301 }));
  const first = await h.engine.addImages([{ kind: 'path', path: photo }], { preset: 'draft' });
  const id = first.added[0]!.id;
  const row = h.engine.listJobs().find((job) => job.id === id)!;
  expect(row.state).toBe('queued');
  // Its prepared copy is removed from the data folder.
  const inputs = join(h.dataDir, 'inputs');
  for (const name of readdirSync(inputs)) unlinkSync(join(inputs, name));

  const app = await h.reopen({ inputLimits: { ...DEFAULT_INPUT_LIMITS, maxLongSide: 1024 } });
  const again = await app.addImages([{ kind: 'path', path: photo }], { preset: 'draft' });
  expect(again.added.map((job) => job.id)).toEqual([id]);

  h.key.value = TEST_KEY;
  const done = await waitForJob(app, id, (job) => job.state === 'succeeded' || job.state === 'failed' || job.state === 'needs_attention');
  expect(done).toMatchObject({ state: 'succeeded' });
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);
