// A photo was known again (already made -> duplicate, on its way -> joined) only by the sha256 of its
// PREPARED bytes, which change with the long side it is scaled to (Settings > max long side), the
// sharp/libvips version or the CPU. The same original file dropped after such a change was sent to FAL -
// and paid for - a second time. Now it is also known by the sha256 of its original bytes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { DEFAULT_INPUT_LIMITS } from '../../src/core/images';
import { SETTINGS_VERSION } from '../../src/core/settings/migrate';
import { createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';
import { makeTestJpeg } from '../fixtures/make-glb';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

const longSide = (maxLongSide: number) => ({ inputLimits: { ...DEFAULT_INPUT_LIMITS, maxLongSide } });

let h: Harness | undefined;
const work = mkdtempSync(join(tmpdir(), 'i2m-same-photo-bytes-'));
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

/** A JPEG longer than every long side used here, so each long side prepares other bytes. */
async function widePhoto(name: string, seed: number): Promise<string> {
  const path = join(work, name);
  writeFileSync(path, await makeTestJpeg(3000, 1000, { seed }));
  return path;
}

it('the same photo after the long side changed in Settings is a duplicate (no second FAL job); Make again anyway makes one', async () => {
  h = await createHarness();
  const photo = await widePhoto('chair.jpg', 1201);
  const first = await h.engine.addImages([{ kind: 'path', path: photo }], { preset: 'draft' });
  const made = await waitForJob(h.engine, first.added[0]!.id, inState('succeeded'));

  // Settings: max long side 1024 (the app starts its engine again with the new limits).
  const app = await h.reopen(longSide(1024));
  const again = await app.addImages([{ kind: 'path', path: photo }], { preset: 'draft' });
  expect(again.added).toEqual([]);
  expect(again.duplicates).toEqual([{ input: photo, modelId: made.modelId, item: 0 }]);
  // Dropped on the window (its bytes, not its path): the same photo.
  const dropped = await app.addImages([{ kind: 'bytes', name: 'chair.jpg', bytes: new Uint8Array(readFileSync(photo)) }], { preset: 'draft' });
  expect(dropped.duplicates).toEqual([{ input: 'chair.jpg', modelId: made.modelId, item: 0 }]);
  expect(h.fake.submissions).toHaveLength(1);

  // Another photo is another job; "Make again anyway" still makes a new one.
  const other = await app.addImages([{ kind: 'path', path: await widePhoto('table.jpg', 1202) }], { preset: 'draft' });
  expect(other.added).toHaveLength(1);
  const forced = await app.addImages([{ kind: 'path', path: photo }], { preset: 'draft', force: true });
  expect(forced.added).toHaveLength(1);
  await app.waitForIdle();
  expect(h.fake.submissions).toHaveLength(3);
}, 60_000);

it('the same photo with other limits while its first job runs joins that job (one FAL job)', async () => {
  h = await createHarness({ fake: { holdJobs: true } });
  const photo = await widePhoto('lamp.jpg', 1203);
  const first = await h.engine.addImages([{ kind: 'path', path: photo }], { preset: 'draft' });
  const id = first.added[0]!.id;
  await waitForJob(h.engine, id, inState('running'));

  const app = await h.reopen(longSide(1024));
  const again = await app.addImages([{ kind: 'path', path: photo }], { preset: 'draft' });
  expect(again.added.map((job) => job.id)).toEqual([id]);
  expect(again.joined).toEqual([{ input: photo, jobId: id, item: 0 }]);
  // Other settings are another job.
  const standard = await app.addImages([{ kind: 'path', path: photo }], { preset: 'standard' });
  expect(standard.added[0]!.id).not.toBe(id);

  h.fake.setOptions({ holdJobs: false });
  await app.waitForIdle();
  expect(h.fake.submissions).toHaveLength(2);
}, 60_000);

it('convert of a photo the app made before its long side was changed finds that model, without a second FAL job', async () => {
  h = await createHarness({ start: false });
  await h.engine.close();
  const settings = (maxLongSide: number) => writeFileSync(join(h!.dataDir, 'settings.json'), JSON.stringify({ version: SETTINGS_VERSION, settings: { maxLongSide } }));
  settings(4096);
  const app = await h.reopen(longSide(4096));
  const photo = await widePhoto('vase.jpg', 1204);
  const added = await app.addImages([{ kind: 'path', path: photo }], { preset: 'draft' });
  await waitForJob(app, added.added[0]!.id, inState('succeeded'));
  await app.close();
  expect(h.fake.submissions).toHaveLength(1);

  // Then Settings > max long side 1024: the CLI prepares with the folder's setting.
  settings(1024);
  const run = await runCli(['convert', photo, '--preset', 'draft', '--out', join(work, 'models'), '--data-dir', h.dataDir, '--fal-proxy', h.fake.url, '--json'], {
    env: { FAL_KEY: TEST_KEY },
  });
  expect(h.fake.submissions).toHaveLength(1);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 1 });
}, 120_000);
