// A write that dies half-way (disk full, I/O error) must leave neither a partial file nor a temp file.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../../src/core/library/files';
import { withTempDir } from './helpers';

const failure = vi.hoisted(() => ({ armed: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const open: typeof actual.open = async (...args) => {
    const handle = await actual.open(...args);
    if (!failure.armed) return handle;
    // Write the first half for real, then fail like a full disk would.
    handle.writeFile = async (data) => {
      const bytes = data as Uint8Array;
      await handle.write(bytes.subarray(0, bytes.byteLength >> 1));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    return handle;
  };
  return { ...actual, open, default: { ...actual, open } };
});

afterEach(() => {
  failure.armed = false;
});

describe('writeFileAtomic when the write fails', () => {
  it('keeps the previous file intact and removes the temp file', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'model.glb');
      await writeFile(path, 'previous version');
      failure.armed = true;
      await expect(writeFileAtomic(path, new Uint8Array(4096).fill(7))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(await readFile(path, 'utf8')).toBe('previous version');
      expect(await readdir(dir)).toEqual(['model.glb']);
    }));

  it('creates no file at all when there was none before', () =>
    withTempDir(async (dir) => {
      failure.armed = true;
      await expect(writeFileAtomic(join(dir, 'new.glb'), new Uint8Array(4096))).rejects.toThrow(/ENOSPC/);
      expect(await readdir(dir)).toEqual([]);
    }));
});
