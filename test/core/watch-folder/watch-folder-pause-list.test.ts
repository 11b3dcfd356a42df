// Back after a pause (the folder moved away and back, unreadable, or over the image cap), the watch
// decides what is new by its file list, as a start does with watched-folder.json: a photo there before
// the pause is not sent again, one that came meanwhile is taken once - also one MOVED in, which keeps
// its old times (the old rule, "arrived after the last good read", missed it), and one that came while
// the folder held too many images (the listing had already counted it, so it was never looked at).
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { createFolderWatch, type FolderWatch, type FolderWatchDeps } from '../../../src/core/watch-folder';
import { DEFAULT_MODEL_ID } from '../../../src/shared/default-generator';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, type Harness } from '../engine/harness';

let h: Harness;
let folder: string;
let outside: string;
const watches: FolderWatch[] = [];

beforeEach(async () => {
  h = await createHarness();
  folder = mkdtempSync(join(tmpdir(), 'i2m-watch-pause-'));
  outside = mkdtempSync(join(tmpdir(), 'i2m-watch-pause-outside-'));
});
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.stop();
  await h.close();
  rmSync(folder, { recursive: true, force: true });
  rmSync(`${folder}-away`, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function makeWatch(overrides: Partial<FolderWatchDeps> = {}): FolderWatch {
  const watch = createFolderWatch({
    settings: createFileSettingsStore(join(h.dataDir, 'settings.json')),
    addImages: (items, opts) => h.engine.addImages(items, opts),
    jobOptions: () => ({ endpoint: DEFAULT_MODEL_ID, preset: 'draft' }),
    excludedRoots: () => [h.dataDir],
    dataDir: h.dataDir,
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    stableMs: 0,
    timers: false,
    ...overrides,
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
/** Files written before now count as there before the next read (past the watch's slack for coarse times). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

it('after the folder was away, takes a photo moved in meanwhile (old times kept) once, and none of those there before', async () => {
  writeFileSync(join(folder, 'before-watch.png'), await makeTestPng(64, 64, { seed: 6101 }));
  writeFileSync(join(outside, 'moved-in.png'), await makeTestPng(64, 64, { seed: 6102 }));
  await settle();
  const watch = makeWatch();
  await watch.turnOn(folder);
  writeFileSync(join(folder, 'while-watching.png'), await makeTestPng(64, 64, { seed: 6103 }));
  await scanTwice(watch);
  expect(names()).toEqual(['while-watching.png']);

  renameSync(folder, `${folder}-away`);
  await watch.scanNow();
  expect(watch.status().state).toBe('paused');
  renameSync(join(outside, 'moved-in.png'), join(`${folder}-away`, 'moved-in.png')); // a move keeps its times
  writeFileSync(join(`${folder}-away`, 'copied-in.png'), await makeTestPng(64, 64, { seed: 6104 }));
  renameSync(join(`${folder}-away`, 'while-watching.png'), join(`${folder}-away`, 'renamed.png'));
  renameSync(`${folder}-away`, folder);

  await scanTwice(watch);
  await scanTwice(watch);
  expect(watch.status()).toMatchObject({ state: 'watching', problem: null });
  expect(names()).toEqual(['copied-in.png', 'moved-in.png', 'while-watching.png']);
});

it('takes a photo that came while the folder held too many images once room is made, and no other', async () => {
  for (let i = 0; i < 3; i++) writeFileSync(join(folder, `old-${i}.png`), await makeTestPng(64, 64, { seed: 6200 + i }));
  await settle();
  const watch = makeWatch({ maxImages: 3 });
  await watch.turnOn(folder);
  await scanTwice(watch);
  writeFileSync(join(folder, 'one-too-many.png'), await makeTestPng(64, 64, { seed: 6210 }));
  await watch.scanNow();
  expect(watch.status()).toMatchObject({ state: 'paused', problem: expect.stringContaining('more than 3 images') });

  unlinkSync(join(folder, 'old-0.png'));
  await scanTwice(watch);
  await scanTwice(watch);
  expect(watch.status().state).toBe('watching');
  expect(names()).toEqual(['one-too-many.png']);
});
