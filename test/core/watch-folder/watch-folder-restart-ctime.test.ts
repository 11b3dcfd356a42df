// At a start the watch takes the images that came while the app was closed, told by their times. An
// image that was already there, whose status-change time alone moved while the app was closed (its
// permissions or owner changed - chmod -R, a sync or backup tool - content untouched; on Linux and
// Windows, where a copy has its own creation time), did not come while the app was closed: taking it made a paid job of a photo the watch never had to add.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { createFolderWatch, type FolderWatch } from '../../../src/core/watch-folder';
import type { SettingsStore } from '../../../src/core/services-types';
import { DEFAULT_MODEL_ID } from '../../../src/shared/default-generator';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, waitUntil, type Harness } from '../engine/harness';

let h: Harness;
let folder: string;
let settings: SettingsStore;
const watches: FolderWatch[] = [];

beforeEach(async () => {
  h = await createHarness();
  folder = mkdtempSync(join(tmpdir(), 'i2m-watch-ctime-'));
  settings = createFileSettingsStore(join(h.dataDir, 'settings.json'));
});
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.stop();
  await h.close();
  rmSync(folder, { recursive: true, force: true });
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
    timers: false,
  });
  watches.push(watch);
  watch.start();
  return watch;
}

it('does not take at a start an image that was there before, whose permissions alone changed while closed', async () => {
  const old = join(folder, 'old.png');
  writeFileSync(old, await makeTestPng(64, 64, { seed: 4401 }));
  await new Promise((resolve) => setTimeout(resolve, 250)); // older than the watch's slack for file times
  const first = makeWatch();
  await first.turnOn(folder);
  await first.scanNow();
  await first.scanNow();
  await first.stop();
  const lastRan = settings.get().watchLastRanAt!;
  await waitUntil(() => Date.now(), (t) => t > lastRan + 200, 2_000, () => 'the clock did not move');
  chmodSync(old, 0o600); // status-change time now, content and modification time as before
  writeFileSync(join(folder, 'new.png'), await makeTestPng(64, 64, { seed: 4402 }));

  const second = makeWatch();
  await second.scanNow();
  await second.scanNow();
  expect(h.engine.listJobs().map((job) => job.inputName)).toEqual(['new.png']);
});
