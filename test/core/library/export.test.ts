import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportError, exportModelFile } from '../../../src/core/library/export';
import { withTempDir } from './helpers';

describe('exportModelFile', () => {
  it('copies the model, replacing an existing file, with no temp file left', () =>
    withTempDir(async (dir) => {
      const src = join(dir, 'library.glb');
      const dest = join(dir, 'Desktop chair.glb');
      await writeFile(src, 'model bytes');
      await writeFile(dest, 'an older export that is longer');
      await exportModelFile(src, dest);
      expect(await readFile(dest, 'utf8')).toBe('model bytes');
      expect(await readFile(src, 'utf8')).toBe('model bytes');
      expect((await readdir(dir)).sort()).toEqual(['Desktop chair.glb', 'library.glb']);
    }));

  it('refuses when the destination folder does not exist, and creates nothing', () =>
    withTempDir(async (dir) => {
      const src = join(dir, 'library.glb');
      await writeFile(src, 'model bytes');
      const missing = join(dir, 'no-such-folder');
      const error = await exportModelFile(src, join(missing, 'out.glb')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExportError);
      expect(error).toMatchObject({ code: 'dest_dir_missing', message: expect.stringContaining(missing) });
      expect(await readdir(dir)).toEqual(['library.glb']);
    }));

  it('refuses when the source model is missing, leaving the destination alone', () =>
    withTempDir(async (dir) => {
      const dest = join(dir, 'out.glb');
      await writeFile(dest, 'keep me');
      const error = await exportModelFile(join(dir, 'gone.glb'), dest).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ExportError', code: 'source_missing' });
      expect(await readFile(dest, 'utf8')).toBe('keep me');
      expect(await readdir(dir)).toEqual(['out.glb']);
    }));
});
