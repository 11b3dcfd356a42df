// Preparing a photo hashes its original bytes in place up to 128 KiB and off the thread above
// (images/prepare.ts), and looks for an existing prepared copy with a stat in place. Jobs dedupe by
// these hashes, so both ways must give sha256 of the bytes exactly; and whatever odd thing sits where
// the prepared copy goes (a folder, a dangling link) must not keep the photo from being added.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareInputBytes } from '../../src/core/images';
import { makeTestPng } from '../fixtures/make-glb';
import { createHarness, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `png` grown to exactly `size` bytes by a private ancillary chunk before IEND (decoders skip it). */
function pngOfSize(png: Buffer, size: number): Buffer {
  const iend = png.length - 12;
  const dataLength = size - png.length - 12;
  if (dataLength < 0) throw new Error(`the PNG is already ${png.length} bytes`);
  const chunk = Buffer.alloc(12 + dataLength);
  chunk.writeUInt32BE(dataLength, 0);
  chunk.write('prVt', 4, 'latin1');
  chunk.fill(7, 8, 8 + dataLength);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + dataLength)), 8 + dataLength);
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

describe('the hash of a photo at the in-place limit', () => {
  it.each([128 * 1024 - 1, 128 * 1024, 128 * 1024 + 1])('%i bytes: sourceSha256 is sha256 of the bytes', async (size) => {
    h = await createHarness({ start: false });
    const bytes = pngOfSize(await makeTestPng(64, 64, { seed: size }), size);
    expect(bytes.length).toBe(size);
    const result = await prepareInputBytes(new Uint8Array(bytes), 'photo.png', join(h.dataDir, 'inputs'));
    if (!result.ok) throw new Error(result.reason);
    expect(result.input.sourceSha256).toBe(sha256(bytes));
    expect(result.input.sha256).toBe(sha256(readFileSync(result.input.path)));
  });

  it('a photo given as a view into a larger buffer is hashed by its own bytes on both sides of the limit', async () => {
    h = await createHarness({ start: false });
    for (const size of [1000 + 128 * 1024 - 1, 128 * 1024 + 1000]) {
      const photo = pngOfSize(await makeTestPng(64, 64, { seed: size }), size - 1000);
      const big = Buffer.concat([Buffer.alloc(500, 1), photo, Buffer.alloc(500, 2)]);
      const view = new Uint8Array(big.buffer, big.byteOffset + 500, photo.length);
      const result = await prepareInputBytes(view, 'photo.png', join(h.dataDir, 'inputs'));
      if (!result.ok) throw new Error(result.reason);
      expect(result.input.sourceSha256).toBe(sha256(photo));
    }
  });
});

describe('something odd where the prepared copy goes', () => {
  /** Prepares the photo once to learn where its copy goes, then removes that copy. */
  async function copyPath(bytes: Uint8Array): Promise<string> {
    const first = await prepareInputBytes(bytes, 'photo.png', join(h!.dataDir, 'inputs'));
    if (!first.ok) throw new Error(first.reason);
    rmSync(first.input.path);
    return first.input.path;
  }

  it('a dangling link: the photo is added and its copy written in its place', async () => {
    h = await createHarness({ start: false });
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: 901 }));
    const path = await copyPath(bytes);
    symlinkSync(join(h.dataDir, 'nowhere.jpg'), path);
    const result = await h.engine.addImages([{ kind: 'bytes', name: 'photo.png', bytes }], {});
    expect(result.rejected).toEqual([]);
    expect(result.added).toHaveLength(1);
    expect(lstatSync(path).isFile()).toBe(true);
  });

  it('an empty folder: the photo is added', async () => {
    h = await createHarness({ start: false });
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: 902 }));
    const path = await copyPath(bytes);
    mkdirSync(path);
    const result = await h.engine.addImages([{ kind: 'bytes', name: 'photo.png', bytes }], {});
    expect(result.rejected).toEqual([]);
    expect(result.added).toHaveLength(1);
    expect(lstatSync(path).isFile()).toBe(true);
  });

  it('a folder with files in it: the photo is refused saying what to do', async () => {
    h = await createHarness({ start: false });
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: 903 }));
    const path = await copyPath(bytes);
    mkdirSync(path);
    writeFileSync(join(path, 'kept.txt'), 'not the app\'s');
    const result = await h.engine.addImages([{ kind: 'bytes', name: 'photo.png', bytes }], {});
    expect(result.added).toEqual([]);
    expect(result.rejected).toEqual([{ input: 'photo.png', reason: expect.stringContaining(`a folder is in the way at ${path}: move or remove it, then add the photo again`) }]);
    expect(readFileSync(join(path, 'kept.txt'), 'utf8')).toBe("not the app's");
  });
});
