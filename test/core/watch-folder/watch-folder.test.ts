// The watched folder against the real engine and the fake FAL server: new images become jobs once,
// through the usual intake (so nothing is paid twice), files being written are waited for, images
// already there are left alone, and a folder that goes away pauses the watch instead of failing.
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { createFolderWatch, type FolderWatch, type FolderWatchDeps } from '../../../src/core/watch-folder';
import type { SettingsStore } from '../../../src/core/services-types';
import { DEFAULT_MODEL_ID } from '../../../src/shared/default-generator';
import { makeTestPng } from '../../fixtures/make-glb';
import { createHarness, inState, waitForJob, waitUntil, type Harness } from '../engine/harness';

let h: Harness;
let folder: string;
let settings: SettingsStore;
const watches: FolderWatch[] = [];
let seed = 100;

beforeEach(async () => {
  h = await createHarness();
  folder = mkdtempSync(join(tmpdir(), 'i2m-watched-'));
  settings = createFileSettingsStore(join(h.dataDir, 'settings.json'));
});
afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.stop();
  await h.close();
  rmSync(folder, { recursive: true, force: true });
  rmSync(`${folder}-moved`, { recursive: true, force: true });
});

const logger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

/** A watch on the harness's engine; `timers: false` unless said: the test steps through the scans. */
function makeWatch(overrides: Partial<FolderWatchDeps> = {}): FolderWatch {
  const watch = createFolderWatch({
    settings,
    addImages: (items, opts) => h.engine.addImages(items, opts),
    jobOptions: () => ({ endpoint: DEFAULT_MODEL_ID, preset: 'draft' }),
    excludedRoots: () => [h.dataDir],
    dataDir: h.dataDir,
    logger: logger(),
    stableMs: 0,
    timers: false,
    ...overrides,
  });
  watches.push(watch);
  watch.start();
  return watch;
}

const png = async () => makeTestPng(64, 64, { seed: seed++ });
const jobNames = () => h.engine.listJobs().map((job) => job.inputName).sort();
/**
 * Waits until files written before now are older than the watch's slack for coarse file times
 * (ARRIVAL_SLACK_MS): they count as there before the watch's next read. Ordering only, no assertion.
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, 250));

/** Two reads: the first sees a file, the second finds it unchanged and takes it. */
async function scanTwice(watch: FolderWatch) {
  await watch.scanNow();
  await watch.scanNow();
}

describe('watched folder', () => {
  it('takes a new image once, found by the periodic scan, and shows it as a job like a drop', async () => {
    const watch = makeWatch({ timers: true, stableMs: 1_000, scanEveryMs: 200 });
    await watch.turnOn(folder);
    writeFileSync(join(folder, 'mug.png'), await png());
    await waitUntil(() => h.engine.listJobs().length, (n) => n > 0, 20_000, () => 'no job was made for mug.png');
    // More scans find nothing new.
    await scanTwice(watch);
    expect(jobNames()).toEqual(['mug.png']);
    expect(watch.status()).toMatchObject({ state: 'watching', folder, problem: null, taken: 1, alreadyMade: 0, waiting: 0, refused: [] });
    const [job] = h.engine.listJobs();
    expect((await waitForJob(h.engine, job!.id, inState('succeeded'))).endpoint).toBe(DEFAULT_MODEL_ID);
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('keeps scanning while the folder changes all the time (a long copy beside a new image)', async () => {
    const watch = makeWatch({ timers: true, stableMs: 200, scanEveryMs: 300 });
    await watch.turnOn(folder);
    // Each write is an fs.watch event, which brings the next scan forward - never puts it off.
    const busy = setInterval(() => appendFileSync(join(folder, 'copying.bin'), 'x'), 20);
    try {
      writeFileSync(join(folder, 'photo.png'), await png());
      await waitUntil(() => h.engine.listJobs().length, (n) => n > 0, 15_000, () => 'photo.png was never taken');
    } finally {
      clearInterval(busy);
    }
    expect(jobNames()).toEqual(['photo.png']);
  });

  it('does not add the images already in the folder when it is turned on', async () => {
    writeFileSync(join(folder, 'old-1.png'), await png());
    mkdirSync(join(folder, 'sub'));
    writeFileSync(join(folder, 'sub', 'old-2.jpg.png'), await png());
    const watch = makeWatch();
    await watch.turnOn(folder);
    await scanTwice(watch);
    expect(h.engine.listJobs()).toEqual([]);
    writeFileSync(join(folder, 'new.png'), await png());
    await scanTwice(watch);
    expect(jobNames()).toEqual(['new.png']);
  });

  it('waits for a file still being copied, and takes it once it stops changing', async () => {
    const watch = makeWatch();
    await watch.turnOn(folder);
    const bytes = await png();
    const file = join(folder, 'slow.png');
    writeFileSync(file, bytes.subarray(0, 40));
    await watch.scanNow();
    appendFileSync(file, bytes.subarray(40, 80));
    await watch.scanNow(); // changed since the last read: still waiting
    expect(watch.status().waiting).toBe(1);
    appendFileSync(file, bytes.subarray(80));
    await watch.scanNow();
    expect(h.engine.listJobs()).toEqual([]);
    await watch.scanNow();
    expect(jobNames()).toEqual(['slow.png']);
    expect(watch.status()).toMatchObject({ taken: 1, waiting: 0, refused: [] });
  });

  it('lists a broken image as refused with its reason, and takes it once it is written whole', async () => {
    const watch = makeWatch();
    await watch.turnOn(folder);
    const bytes = await png();
    const file = join(folder, 'cut.png');
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await scanTwice(watch);
    expect(h.engine.listJobs()).toEqual([]);
    const status = watch.status();
    expect(status.state).toBe('watching');
    expect(status.refused).toEqual([{ input: file, reason: expect.stringMatching(/\S/) }]);
    await scanTwice(watch); // refused once, not again at every read
    expect(watch.status().refused).toHaveLength(1);
    writeFileSync(file, bytes);
    await scanTwice(watch);
    expect(jobNames()).toEqual(['cut.png']);
  });

  it('at a start takes only the images that came while the app was closed', async () => {
    writeFileSync(join(folder, 'before.png'), await png());
    await settle();
    const first = makeWatch();
    await first.turnOn(folder);
    await scanTwice(first);
    await first.stop();
    const lastRan = settings.get().watchLastRanAt;
    expect(lastRan).not.toBeNull();
    await waitUntil(() => Date.now(), (t) => t > lastRan!, 1_000, () => 'the clock did not move');
    writeFileSync(join(folder, 'while-closed.png'), await png());
    // Copied with the photo's own old date kept (Finder, cp -p): it still came after the watch ran.
    const kept = join(folder, 'kept-date.png');
    writeFileSync(kept, await png());
    utimesSync(kept, new Date('2020-01-01'), new Date('2020-01-01'));

    const second = makeWatch();
    await scanTwice(second);
    expect(jobNames()).toEqual(['kept-date.png', 'while-closed.png']);
  });

  it('pauses with a message while the folder is gone, says it once, and watches it again when it is back', async () => {
    const log = logger();
    const watch = makeWatch({ logger: log });
    writeFileSync(join(folder, 'there.png'), await png());
    await watch.turnOn(folder);
    renameSync(folder, `${folder}-moved`);
    await scanTwice(watch);
    await watch.scanNow();
    expect(watch.status()).toMatchObject({ state: 'paused', problem: expect.stringContaining('is not there') });
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.error).not.toHaveBeenCalled();

    renameSync(`${folder}-moved`, folder);
    writeFileSync(join(folder, 'after.png'), await png());
    await scanTwice(watch);
    expect(watch.status()).toMatchObject({ state: 'watching', problem: null });
    expect(jobNames()).toEqual(['after.png']); // there.png was there before the watch: still left alone
  });

  it('does not take the old images of another folder put in its place', async () => {
    const other = `${folder}-moved`;
    mkdirSync(other);
    writeFileSync(join(other, 'someone-elses.png'), await png());
    await settle();
    const watch = makeWatch();
    await watch.turnOn(folder);
    rmSync(folder, { recursive: true });
    await watch.scanNow();
    expect(watch.status().state).toBe('paused');
    renameSync(other, folder);
    await scanTwice(watch);
    expect(watch.status().state).toBe('watching');
    expect(h.engine.listJobs()).toEqual([]);
  });

  it('makes one job of the same photo copied twice, and none of a photo made before', async () => {
    const watch = makeWatch();
    await watch.turnOn(folder);
    const bytes = await png();
    writeFileSync(join(folder, 'a.png'), bytes);
    writeFileSync(join(folder, 'a copy.png'), bytes);
    await scanTwice(watch);
    expect(h.engine.listJobs()).toHaveLength(1);
    const [job] = h.engine.listJobs();
    await waitForJob(h.engine, job!.id, inState('succeeded'));
    copyFileSync(join(folder, 'a.png'), join(folder, 'a again.png'));
    await scanTwice(watch);
    expect(h.engine.listJobs()).toHaveLength(1);
    expect(watch.status()).toMatchObject({ taken: 2, alreadyMade: 1 });
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('does not take a file renamed inside the folder as a new image', async () => {
    writeFileSync(join(folder, 'IMG_1.png'), await png());
    const watch = makeWatch();
    await watch.turnOn(folder);
    renameSync(join(folder, 'IMG_1.png'), join(folder, 'vase.png'));
    await scanTwice(watch);
    expect(h.engine.listJobs()).toEqual([]);
  });

  it('does not take the images of a subfolder moved out and back (or hidden for a while) as new', async () => {
    mkdirSync(join(folder, 'batch'));
    writeFileSync(join(folder, 'batch', 'one.png'), await png());
    writeFileSync(join(folder, 'batch', 'two.png'), await png());
    const watch = makeWatch();
    await watch.turnOn(folder);
    renameSync(join(folder, 'batch'), `${folder}-moved`);
    await scanTwice(watch);
    renameSync(`${folder}-moved`, join(folder, 'batch'));
    await scanTwice(watch);
    expect(h.engine.listJobs()).toEqual([]);
  });

  it('adds jobs that wait while there is no key, like a drop', async () => {
    h.key.value = null;
    const watch = makeWatch();
    await watch.turnOn(folder);
    writeFileSync(join(folder, 'later.png'), await png());
    await scanTwice(watch);
    const [job] = h.engine.listJobs();
    expect(job?.state).toBe('queued');
    expect(h.fake.submissions).toHaveLength(0);
  });

  it('logs a failure that repeats at every scan once, not every 2 seconds', async () => {
    const log = logger();
    let broken = false;
    const excludedRoots = () => {
      if (broken) throw new Error('settings unreadable');
      return [h.dataDir];
    };
    const watch = makeWatch({ logger: log, excludedRoots });
    await watch.turnOn(folder);
    broken = true;
    await scanTwice(watch);
    await scanTwice(watch);
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('refuses to watch a folder the app writes into', async () => {
    const watch = makeWatch();
    await expect(watch.turnOn(join(h.dataDir, 'exports'))).rejects.toThrow(/can’t be watched/);
    expect(settings.get().watchEnabled).toBe(false);
  });
});
