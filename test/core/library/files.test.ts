import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeLeftoverTempFiles, writeFileAtomic } from '../../../src/core/library/files';
import { storeByContentHash } from '../../../src/core/library/content-store';
import { withTempDir } from './helpers';

const bytesOf = (text: string) => new TextEncoder().encode(text);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('writeFileAtomic', () => {
  it('writes the file and leaves no temp file behind', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'model.glb');
      await writeFileAtomic(path, bytesOf('first'));
      await writeFileAtomic(path, bytesOf('second, longer'));
      expect(await readFile(path, 'utf8')).toBe('second, longer');
      expect(await readdir(dir)).toEqual(['model.glb']);
    }));

  it('cleans up its temp file and changes nothing when the final rename fails', () =>
    withTempDir(async (dir) => {
      // A non-empty directory at the destination makes rename() fail after the data was written.
      const path = join(dir, 'occupied');
      await mkdir(path);
      await writeFile(join(path, 'keep.txt'), 'x');
      await expect(writeFileAtomic(path, bytesOf('data'))).rejects.toThrow();
      expect(await readdir(dir)).toEqual(['occupied']);
      expect(await readdir(path)).toEqual(['keep.txt']);
    }));

  it('fails when the folder does not exist, without creating anything', () =>
    withTempDir(async (dir) => {
      await expect(writeFileAtomic(join(dir, 'missing', 'a.bin'), bytesOf('x'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await readdir(dir)).toEqual([]);
    }));
});

describe('storeByContentHash', () => {
  it('stores under <sha[0..2]>/<sha>.<ext> and reuses an identical file', () =>
    withTempDir(async (dir) => {
      const data = bytesOf('a model');
      const hash = sha256(data);
      const first = await storeByContentHash(dir, data, 'glb');
      expect(first).toEqual({ path: join(dir, hash.slice(0, 2), `${hash}.glb`), sha256: hash, existed: false });
      expect(await readFile(first.path, 'utf8')).toBe('a model');
      const { ino } = await stat(first.path);
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(first.path, hourAgo, hourAgo);

      const second = await storeByContentHash(dir, bytesOf('a model'), '.glb');
      expect(second).toEqual({ ...first, existed: true });
      // Not written again (same file), but marked as just stored: the unreferenced-file sweep spares it.
      const now = await stat(second.path);
      expect(now.ino).toBe(ino);
      expect(now.mtimeMs).toBeGreaterThan(hourAgo.getTime() + 60_000);

      const other = await storeByContentHash(dir, bytesOf('another model'), 'glb');
      expect(other.path).not.toBe(first.path);
      expect(other.existed).toBe(false);
    }));

  it('replaces a damaged file at the content path', () =>
    withTempDir(async (dir) => {
      const data = bytesOf('the real content');
      const { path } = await storeByContentHash(dir, data, 'glb');
      await writeFile(path, 'the real cont3nt'); // same size, different bytes
      const again = await storeByContentHash(dir, data, 'glb');
      expect(again.existed).toBe(false);
      expect(await readFile(path, 'utf8')).toBe('the real content');
      expect(await readdir(join(dir, again.sha256.slice(0, 2)))).toEqual([`${again.sha256}.glb`]);
    }));

  it('refuses an extension that could escape the folder', () =>
    withTempDir(async (dir) => {
      await expect(storeByContentHash(dir, bytesOf('x'), '../../etc')).rejects.toThrow(/Invalid file extension/);
      expect(await readdir(dir)).toEqual([]);
    }));
});

describe('removeLeftoverTempFiles', () => {
  it('removes old .tmp-* files at any depth and keeps everything else', () =>
    withTempDir(async (dir) => {
      const old = new Date(Date.now() - 10 * 60_000);
      await mkdir(join(dir, 'ab', 'deeper'), { recursive: true });
      const temps = [join(dir, '.tmp-1-a.glb'), join(dir, 'ab', '.tmp-2-b.glb'), join(dir, 'ab', 'deeper', '.tmp-3-c.png')];
      for (const path of temps) {
        await writeFile(path, 'partial');
        await utimes(path, old, old);
      }
      await writeFile(join(dir, 'ab', 'model.glb'), 'keep');
      await writeFile(join(dir, 'tmp-not-ours.txt'), 'keep');
      const young = join(dir, 'ab', '.tmp-4-being-written.glb');
      await writeFile(young, 'another process is writing this');

      expect(await removeLeftoverTempFiles(dir)).toBe(3);
      expect((await readdir(dir)).sort()).toEqual(['ab', 'tmp-not-ours.txt']);
      expect((await readdir(join(dir, 'ab'))).sort()).toEqual(['.tmp-4-being-written.glb', 'deeper', 'model.glb']);
      expect(await readdir(join(dir, 'ab', 'deeper'))).toEqual([]);

      // With no grace period the young one goes too.
      expect(await removeLeftoverTempFiles(dir, { minAgeMs: 0 })).toBe(1);
      expect((await readdir(join(dir, 'ab'))).sort()).toEqual(['deeper', 'model.glb']);
    }));

  it('returns 0 for a missing folder', () =>
    withTempDir(async (dir) => {
      expect(await removeLeftoverTempFiles(join(dir, 'nope'))).toBe(0);
    }));
});
