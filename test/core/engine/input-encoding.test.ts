// Photos are encoded for upload with the fast JPEG encoder in a new data folder, while a folder with
// jobs from before keeps mozjpeg: a photo is known again by the sha256 of its prepared bytes, so the
// same photo dropped again there must still find (join) its earlier job rather than be sent and paid
// a second time.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src/core/db/open';
import { inputJpegEncoding } from '../../../src/core/db/input-encoding';
import { MIGRATIONS } from '../../../src/core/db/migrations';
import { prepareInputBytes } from '../../../src/core/images';
import { createHarness, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A camera-like JPEG: gradients and noise, no alpha channel. */
async function cameraPhoto(seed: number): Promise<{ kind: 'bytes'; name: string; bytes: Uint8Array }> {
  const [width, height] = [320, 240];
  const raw = Buffer.alloc(width * height * 3);
  let s = seed;
  for (let i = 0; i < raw.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = ((i % (width * 3)) / 4 + ((s >> 16) & 63)) & 255;
  }
  const bytes = new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
  return { kind: 'bytes', name: `photo-${seed}.jpg`, bytes };
}

/** Migration 22 (library_meta), found by what it makes so later migrations do not move it. */
const LIBRARY_META = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE library_meta'));

/**
 * What migration 22 decides for this folder as it is now, as when a folder from before it is opened:
 * its table is taken away and its own SQL run again. (Setting user_version back would run every later
 * migration a second time.)
 */
function decideAgain(db: Database.Database): void {
  db.exec('DROP TABLE library_meta');
  db.exec(MIGRATIONS[LIBRARY_META]!);
}

function withDb<T>(dataDir: string, use: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, DATABASE_FILE));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

it('a new data folder sends photos made with the fast encoder', async () => {
  h = await createHarness({ start: false });
  const photo = await cameraPhoto(1);
  const result = await h.engine.addImages([photo], {});
  expect(result.added).toHaveLength(1);
  expect(withDb(h.dataDir, inputJpegEncoding)).toBe('fast');
  const stored = h.engine.listJobs()[0]!;
  const scratch = join(h.dataDir, 'scratch');
  const fast = await prepareInputBytes(photo.bytes, photo.name, scratch, undefined, 'fast');
  const slow = await prepareInputBytes(photo.bytes, photo.name, scratch, undefined, 'mozjpeg');
  if (!fast.ok || !slow.ok) throw new Error('not prepared');
  expect(fast.input.sha256).not.toBe(slow.input.sha256);
  expect(stored.inputSha256).toBe(fast.input.sha256);
  expect(readFileSync(join(h.dataDir, 'inputs', `${fast.input.sha256}.jpg`)).length).toBe(fast.input.bytes);
});

it('a folder with jobs from before keeps mozjpeg, so a photo dropped again joins its earlier job', async () => {
  h = await createHarness({ start: false });
  const photo = await cameraPhoto(2);
  // The earlier version prepared every photo with mozjpeg. Its folder: that job, and no library_meta.
  await h.engine.close();
  withDb(h.dataDir, (db) => db.prepare("UPDATE library_meta SET value = 'mozjpeg' WHERE key = 'input_jpeg'").run());
  let engine = await h.reopen();
  const first = await engine.addImages([photo], {});
  expect(first.added).toHaveLength(1);
  await engine.close();
  withDb(h.dataDir, decideAgain);

  engine = await h.reopen();
  expect(withDb(h.dataDir, inputJpegEncoding)).toBe('mozjpeg');
  const again = await engine.addImages([photo], {});
  expect(again.joined?.map((join) => join.jobId)).toEqual([first.added[0]!.id]);
  expect(engine.listJobs()).toHaveLength(1);
});

it('an empty folder from before gets the fast encoder', async () => {
  h = await createHarness({ start: false });
  await h.engine.close();
  withDb(h.dataDir, (db) => {
    db.prepare("UPDATE library_meta SET value = 'mozjpeg' WHERE key = 'input_jpeg'").run();
    decideAgain(db);
  });
  await h.reopen();
  expect(withDb(h.dataDir, inputJpegEncoding)).toBe('fast');
});
