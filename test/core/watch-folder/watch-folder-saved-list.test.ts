// What came while the app was closed is told by the file list the watch saved (the data folder), not
// by file times: a photo MOVED in keeps its old times and was missed; a file overwritten under the same
// name was taken once only; a photo still being copied when the watch was turned on was never taken.
// A file written again with the same bytes is the same photo to the intake: no second paid job.
import { appendFileSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { createFolderWatch, type FolderWatch } from '../../../src/core/watch-folder';
import type { SettingsStore } from '../../../src/core/services-types';
import { DEFAULT_MODEL_ID } from '../../../src/shared/default-generator';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, inState, waitForJob, type Harness } from '../engine/harness';

let h: Harness;
let folder: string;
let outside: string;
let settings: SettingsStore;
const watches: FolderWatch[] = [];

beforeEach(async () => {
  h = await createHarness();
  folder = mkdtempSync(join(tmpdir(), 'i2m-watch-list-'));
  outside = mkdtempSync(join(tmpdir(), 'i2m-watch-outside-'));
  settings = createFileSettingsStore(join(h.dataDir, 'settings.json'));
});
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.stop();
  await h.close();
  rmSync(folder, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function makeWatch(): FolderWatch {
  const watch = createFolderWatch({
    settings,
    addImages: (items, opts) => h.engine.addImages(items, opts),
    jobOptions: () => ({ endpoint: DEFAULT_MODEL_ID, preset: 'draft' }),
    excludedRoots: () => [h.dataDir],
    dataDir: h.dataDir,
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    stableMs: 0,
    fullEveryMs: 0, // every scan looks at every file: no fs.watch here to name one written in place
    timers: false,
  });
  watches.push(watch);
  watch.start();
  return watch;
}
const names = () => h.engine.listJobs().map((job) => job.inputName).sort();
const scanTwice = async (watch: FolderWatch) => {
  await watch.scanNow();
  await watch.scanNow();
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_300)); // older than "being copied at turn-on"

it('takes at the next start a photo moved (not copied) in while the app was closed, and not one renamed inside', async () => {
  writeFileSync(join(folder, 'there.png'), await makeTestPng(64, 64, { seed: 5101 }));
  writeFileSync(join(outside, 'moved.png'), await makeTestPng(64, 64, { seed: 5102 }));
  await settle();
  const first = makeWatch();
  await first.turnOn(folder);
  await scanTwice(first);
  await first.stop();
  renameSync(join(outside, 'moved.png'), join(folder, 'moved.png')); // keeps its old times
  renameSync(join(folder, 'there.png'), join(folder, 'renamed.png'));

  const second = makeWatch();
  await scanTwice(second);
  expect(names()).toEqual(['moved.png']);
});

it('takes a photo overwritten under the same name again, and the same bytes written again make no second paid job', async () => {
  const watch = makeWatch();
  await watch.turnOn(folder);
  const file = join(folder, 'latest.png');
  const first = await makeTestPng(64, 64, { seed: 5201 });
  writeFileSync(file, first);
  await scanTwice(watch);
  await waitForJob(h.engine, h.engine.listJobs()[0]!.id, inState('succeeded'));
  writeFileSync(file, await makeTestPng(64, 64, { seed: 5202 }));
  utimesSync(file, new Date(), new Date(Date.now() + 5_000)); // a new time whatever the clock's grain
  await scanTwice(watch);
  expect(h.engine.listJobs()).toHaveLength(2);
  await Promise.all(h.engine.listJobs().map((job) => waitForJob(h.engine, job.id, inState('succeeded'))));

  writeFileSync(file, first); // the first photo again, byte for byte
  utimesSync(file, new Date(), new Date(Date.now() + 10_000));
  await scanTwice(watch);
  expect(h.engine.listJobs()).toHaveLength(2);
  expect(watch.status()).toMatchObject({ taken: 2, alreadyMade: 1 });
  expect(h.fake.submissions).toHaveLength(2);
});

it('takes a photo still being copied when the watch is turned on, once it is whole; not the one already there', async () => {
  writeFileSync(join(folder, 'old.png'), await makeTestPng(64, 64, { seed: 5301 }));
  await settle();
  const bytes = await makeTestPng(64, 64, { seed: 5302 });
  const copying = join(folder, 'copying.png');
  writeFileSync(copying, bytes.subarray(0, 100));
  const watch = makeWatch();
  await watch.turnOn(folder);
  appendFileSync(copying, bytes.subarray(100));
  await scanTwice(watch);
  expect(names()).toEqual(['copying.png']);
});

it('leaves out an image there before the watch even when it is edited in place later (same file, new content); a file put in its place is new', async () => {
  const before = join(folder, 'before.png');
  writeFileSync(before, await makeTestPng(64, 64, { seed: 5401 }));
  await settle();
  const watch = makeWatch();
  await watch.turnOn(folder);
  await scanTwice(watch);
  writeFileSync(before, await makeTestPng(64, 64, { seed: 5402 })); // written in place: the same inode
  utimesSync(before, new Date(), new Date(Date.now() + 5_000));
  await scanTwice(watch);
  expect(names()).toEqual([]);

  // Replaced by another file under the same name (a move over it): a new image.
  writeFileSync(join(outside, 'before.png'), await makeTestPng(64, 64, { seed: 5403 }));
  renameSync(join(outside, 'before.png'), before);
  utimesSync(before, new Date(), new Date(Date.now() + 10_000));
  await scanTwice(watch);
  expect(names()).toEqual(['before.png']);
  expect(h.fake.submissions.length).toBeLessThanOrEqual(1);
});
