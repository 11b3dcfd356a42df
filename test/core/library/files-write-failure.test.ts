// A write that dies half-way (disk full, I/O error) must leave neither a partial file nor a temp file.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type * as Fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../../src/core/library/files';
import { withTempDir } from './helpers';

const failure = vi.hoisted(() => ({ armed: false }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof Fs>();
  // Writes the first half of what it is given for real, then fails like a full disk would.
  const write = ((fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null, callback: (error: Error | null, written: number) => void) => {
    if (!failure.armed) return actual.write(fd, buffer, offset, length, position, callback);
    actual.write(fd, buffer, offset, length >> 1, position, (error) =>
      callback(error ?? Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }), 0),
    );
  }) as typeof actual.write;
  return { ...actual, write, default: { ...actual, write } };
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
