// The watch scans every 2 s on the app's main thread. Each scan read every folder again (a readdir per
// folder, a realpath per folder, 10,000 images: ~150 ms every 2 s - bench/watch-folder.bench.ts); now
// a scan of an unchanged folder only looks at each folder's times, and reads a folder when it changed.
// Counted here by the file-system calls a scan makes (no timing), and what a change still finds.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { createFolderWatch, type FolderWatch } from '../../../src/core/watch-folder';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, readdir: vi.fn(actual.readdir), stat: vi.fn(actual.stat), lstat: vi.fn(actual.lstat), realpath: vi.fn(actual.realpath) };
});

const FOLDERS = 3;
const PER_FOLDER = 50;
let root: string;
let folder: string;
let watch: FolderWatch | null = null;
const handed: string[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'i2m-watch-cost-'));
  folder = join(root, 'photos');
  mkdirSync(join(root, 'data'));
  const old = new Date('2020-01-01');
  for (let f = 0; f < FOLDERS; f++) {
    const sub = join(folder, `batch-${f}`);
    mkdirSync(sub, { recursive: true });
    for (let i = 0; i < PER_FOLDER; i++) writeFileSync(join(sub, `IMG_${i}.png`), 'not read');
    utimesSync(sub, old, old); // the folders' times say: unchanged for long
  }
  utimesSync(folder, old, old);
  handed.length = 0;
  watch = createFolderWatch({
    settings: createFileSettingsStore(join(root, 'data', 'settings.json')),
    addImages: async (items) => {
      handed.push(...items.map((item) => (item.kind === 'path' ? item.path : '')));
      return { added: [], rejected: [], duplicates: [] };
    },
    jobOptions: () => ({ endpoint: 'offline/relief', preset: 'draft' }),
    excludedRoots: () => [join(root, 'data')],
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    stableMs: 0,
    timers: false,
  });
  watch.start();
});
afterEach(async () => {
  await watch?.stop();
  watch = null;
  rmSync(root, { recursive: true, force: true });
});

const calls = () => ({
  readdir: vi.mocked(fsp.readdir).mock.calls.length,
  realpath: vi.mocked(fsp.realpath).mock.calls.length,
  imagesStatted: [...vi.mocked(fsp.stat).mock.calls, ...vi.mocked(fsp.lstat).mock.calls].filter(([path]) => String(path).endsWith('.png')).length,
});

it('scans an unchanged folder of 150 images in 4 folders without reading a folder or stating an image', async () => {
  await watch!.turnOn(folder);
  await watch!.scanNow(); // the images were written just now: watched for one more scan (a copy may be under way)
  vi.clearAllMocks();
  await watch!.scanNow();
  await watch!.scanNow();
  const made = calls();
  expect(made.readdir).toBe(0);
  expect(made.imagesStatted).toBe(0);
  // The watched folder and the data folder resolved once a scan, not once per folder.
  expect(made.realpath).toBeLessThanOrEqual(2 * 2);
});

it('reads the one folder that changed and takes the photo copied into it, and only it', async () => {
  await watch!.turnOn(folder);
  vi.clearAllMocks();
  const photo = join(folder, 'batch-1', 'new.png');
  writeFileSync(photo, 'new photo');
  await watch!.scanNow();
  await watch!.scanNow();
  expect(handed).toEqual([photo]);
  // batch-1 read by each scan (changed just now: its time is too recent to trust), no other folder.
  expect(vi.mocked(fsp.readdir).mock.calls.map(([path]) => String(path))).toEqual([join(folder, 'batch-1'), join(folder, 'batch-1')]);
});
