// The folders the app writes images into (data, exports) are never taken from a watched folder, also
// when one of the two is named through a symlink: the watched folder chosen by a linked path, or a
// link inside it leading to the export folder. Taking them would loop: each exported texture a new
// paid job, whose export is another new image.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { createFolderWatch, type FolderWatch } from '../../../src/core/watch-folder';
import type { SettingsStore } from '../../../src/core/services-types';
import { DEFAULT_MODEL_ID } from '../../../src/shared/default-generator';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, type Harness } from '../engine/harness';

let h: Harness;
let base: string;
let settings: SettingsStore;
let watch: FolderWatch | null = null;

beforeEach(async () => {
  h = await createHarness();
  base = realpathSync(mkdtempSync(join(tmpdir(), 'i2m-watch-links-')));
  settings = createFileSettingsStore(join(h.dataDir, 'settings.json'));
});
afterEach(async () => {
  await watch?.stop();
  watch = null;
  await h.close();
  rmSync(base, { recursive: true, force: true });
});

function makeWatch(excluded: string[]): FolderWatch {
  watch = createFolderWatch({
    settings,
    addImages: (items, opts) => h.engine.addImages(items, opts),
    jobOptions: () => ({ endpoint: DEFAULT_MODEL_ID, preset: 'draft' }),
    excludedRoots: () => [h.dataDir, ...excluded],
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    stableMs: 0,
    timers: false,
  });
  watch.start();
  return watch;
}

async function scanTwice(w: FolderWatch) {
  await w.scanNow();
  await w.scanNow();
}

describe('watched folder and the folders the app writes into, through symlinks', () => {
  it('does not take an exported texture when the watched folder was chosen through a link', async () => {
    const real = join(base, 'photos');
    const exports = join(real, 'exports');
    mkdirSync(exports, { recursive: true });
    const linked = join(base, 'photos-link');
    symlinkSync(real, linked, 'dir');
    const w = makeWatch([exports]);
    await w.turnOn(linked);
    writeFileSync(join(exports, 'mug_texture.png'), await makeTestPng(64, 64, { seed: 1 }));
    await scanTwice(w);
    expect(h.engine.listJobs()).toEqual([]);
  });

  it('does not take an exported texture reached through a link inside the watched folder', async () => {
    const real = join(base, 'photos');
    const exports = join(real, 'exports');
    mkdirSync(exports, { recursive: true });
    // Listed before "exports" (by name), so the texture is found under the link's path.
    symlinkSync(exports, join(real, 'a-shortcut'), 'dir');
    const w = makeWatch([exports]);
    await w.turnOn(real);
    writeFileSync(join(exports, 'vase_texture.png'), await makeTestPng(64, 64, { seed: 2 }));
    await scanTwice(w);
    expect(h.engine.listJobs()).toEqual([]);
  });

  it('refuses to watch the data folder chosen through a link', async () => {
    const linked = join(base, 'data-link');
    symlinkSync(h.dataDir, linked, 'dir');
    const w = makeWatch([]);
    await expect(w.turnOn(linked)).rejects.toThrow(/can’t be watched/);
    expect(settings.get().watchEnabled).toBe(false);
  });
});
