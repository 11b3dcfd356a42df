// Hundreds of photos copied in at once are handed to the intake by one scan. Turned off while that
// scan was adding them, the watch went on until every one was a job (each then sent, and paid for),
// although the user had said stop; now it stops between two handfuls and the rest are not added.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { createFolderWatch, type FolderWatch } from '../../../src/core/watch-folder';
import type { SettingsStore } from '../../../src/core/services-types';
import { DEFAULT_MODEL_ID } from '../../../src/shared/default-generator';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, type Harness } from '../engine/harness';

const PHOTOS = 60;
let h: Harness;
let folder: string;
let settings: SettingsStore;
let watch: FolderWatch | null = null;

beforeEach(async () => {
  h = await createHarness();
  h.key.value = null; // the jobs wait: this is about what is added
  folder = mkdtempSync(join(tmpdir(), 'i2m-watch-off-'));
  settings = createFileSettingsStore(join(h.dataDir, 'settings.json'));
});
afterEach(async () => {
  await watch?.stop();
  watch = null;
  await h.close();
  rmSync(folder, { recursive: true, force: true });
});

it('turned off while a scan adds many new images, adds no more than the handful on its way', async () => {
  watch = createFolderWatch({
    settings,
    addImages: (items, opts) => h.engine.addImages(items, opts),
    jobOptions: () => ({ endpoint: DEFAULT_MODEL_ID, preset: 'draft' }),
    excludedRoots: () => [h.dataDir],
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    stableMs: 0,
    timers: false,
  });
  watch.start();
  await watch.turnOn(folder);
  for (let i = 0; i < PHOTOS; i++) writeFileSync(join(folder, `photo-${i}.png`), await makeTestPng(32, 32, { seed: 7000 + i }));
  await watch.scanNow(); // seen
  const adding = watch.scanNow(); // unchanged since: taken
  await watch.turnOff();
  await adding;
  expect(settings.get().watchEnabled).toBe(false);
  expect(h.engine.listJobs().length).toBeLessThan(PHOTOS);
});
