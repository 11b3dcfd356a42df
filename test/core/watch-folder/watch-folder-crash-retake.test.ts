// A crash between the watch handing a photo to the queue and saving its file list (found by
// test/chaos/kill-app.test.ts) leaves the photo out of the list: the next start offers it again. It
// must be answered by the job it already has - not made, and paid for, a second time - whatever
// became of that job (FAL failed it: a failed run may be billed) and whatever the watch's generator is
// now (Automatic took it offline before a key was set, and is FAL's since). A drop by the user is
// still the user's call.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import type { SettingsStore } from '../../../src/core/services-types';
import { createFolderWatch, type FolderWatch } from '../../../src/core/watch-folder';
import { SAVED_LIST_FILE } from '../../../src/core/watch-folder/saved-list';
import { DEFAULT_MODEL_ID, OFFLINE_MODEL_ID } from '../../../src/shared/default-generator';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, inState, waitForJob, type Harness } from '../engine/harness';

let h: Harness;
let folder: string;
let settings: SettingsStore;
const watches: FolderWatch[] = [];

beforeEach(async () => {
  h = await createHarness();
  folder = mkdtempSync(join(tmpdir(), 'i2m-watch-retake-'));
  settings = createFileSettingsStore(join(h.dataDir, 'settings.json'));
});
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.stop();
  await h.close();
  rmSync(folder, { recursive: true, force: true });
});

function makeWatch(endpoint: string): FolderWatch {
  const watch = createFolderWatch({
    settings,
    addImages: (items, opts) => h.engine.addImages(items, opts),
    jobOptions: () => ({ endpoint, preset: 'draft' }),
    excludedRoots: () => [h.dataDir],
    dataDir: h.dataDir,
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    stableMs: 0,
    timers: false,
  });
  watches.push(watch);
  watch.start();
  return watch;
}

/** The watch takes one photo; then the app "crashes" with the file list saved just before it. */
async function takenThenCrashed(endpoint: string): Promise<string> {
  const watch = makeWatch(endpoint);
  await watch.turnOn(folder);
  await watch.scanNow(); // the list of an empty folder is saved
  const list = join(h.dataDir, SAVED_LIST_FILE);
  copyFileSync(list, `${list}.before`);
  writeFileSync(join(folder, 'photo.png'), await makeTestPng(64, 64, { seed: 6101 }));
  await watch.scanNow();
  await watch.scanNow();
  const [job] = h.engine.listJobs();
  expect(job?.inputName).toBe('photo.png');
  await watch.stop();
  watches.splice(watches.indexOf(watch), 1);
  copyFileSync(`${list}.before`, list); // the save after the take never happened
  return job!.id;
}

it('a photo whose job FAL failed is not sent again when the watch offers it again after a crash', async () => {
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', detail: 'Model crashed' } });
  const id = await takenThenCrashed(DEFAULT_MODEL_ID);
  await waitForJob(h.engine, id, inState('failed'));

  const again = makeWatch(DEFAULT_MODEL_ID);
  await again.scanNow();
  await again.scanNow();
  await h.engine.waitForIdle();
  expect(h.engine.listJobs().map((job) => job.id)).toEqual([id]);
  expect(h.fake.submissions).toHaveLength(1);
});

it('a photo made offline before a key was set is not sent to FAL when the watch offers it again with FAL as its generator', async () => {
  const id = await takenThenCrashed(OFFLINE_MODEL_ID);
  await waitForJob(h.engine, id, inState('succeeded'));

  const again = makeWatch(DEFAULT_MODEL_ID);
  await again.scanNow();
  await again.scanNow();
  await h.engine.waitForIdle();
  expect(h.engine.listJobs().map((job) => job.id)).toEqual([id]);
  expect(h.fake.submissions).toHaveLength(0);
});

it('the same photo dropped by the user after FAL failed it is a new job (the user asked)', async () => {
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', detail: 'Model crashed' } });
  const id = await takenThenCrashed(DEFAULT_MODEL_ID);
  await waitForJob(h.engine, id, inState('failed'));

  const dropped = await h.engine.addImages([{ kind: 'path', path: join(folder, 'photo.png') }], { endpoint: DEFAULT_MODEL_ID, preset: 'draft' });
  expect(dropped.added).toHaveLength(1);
  expect(dropped.added[0]!.id).not.toBe(id);
});
