import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImagesInFolder } from '../../../src/core/images';
import { makeTempDir } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;

async function touch(...parts: string[]): Promise<void> {
  const path = join(dir, ...parts);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, 'x');
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('folder'));
  for (const name of ['img10.png', 'img2.jpg', 'B.webp', 'a.JPEG', 'c.gif', 'd.avif', 'notes.txt', 'model.glb', 'scan.tif']) {
    await touch(name);
  }
  await touch('.hidden.png');
  await touch('.cache', 'inside-hidden.png');
  await touch('sub', 'deep', 'z.png');
  await touch('sub', 'y.jpg');
  if (process.platform !== 'win32') {
    await symlink(dir, join(dir, 'sub', 'loop')); // points back up: must not loop
    await symlink(join(dir, 'missing-target'), join(dir, 'dangling.png'));
  }
});
afterAll(() => cleanup());

describe('listImagesInFolder', () => {
  it('lists image files recursively in name order, skipping hidden and non-image files', async () => {
    const found = await listImagesInFolder(dir);
    expect(found.map((p) => p.slice(dir.length + 1).split('\\').join('/'))).toEqual([
      'a.JPEG',
      'B.webp',
      'c.gif',
      'd.avif',
      'img2.jpg',
      'img10.png',
      'sub/deep/z.png',
      'sub/y.jpg',
    ]);
  });

  it('returns absolute paths', async () => {
    const found = await listImagesInFolder(dir);
    expect(found.every((p) => p.startsWith(dir))).toBe(true);
  });

  it('stops at maxFiles', async () => {
    expect(await listImagesInFolder(dir, { maxFiles: 3 })).toHaveLength(3);
  });

  it.skipIf(process.platform === 'win32')('does not follow symlinks (folders or files) out of the chosen folder', async () => {
    const other = await makeTempDir('folder-other');
    const root = await makeTempDir('folder-linkroot');
    try {
      await writeFile(join(other.dir, 'linked.png'), 'x');
      await writeFile(join(root.dir, 'own.png'), 'x');
      await symlink(other.dir, join(root.dir, 'shared'));
      await symlink(join(other.dir, 'linked.png'), join(root.dir, 'file-link.png'));
      expect(await listImagesInFolder(root.dir)).toEqual([join(root.dir, 'own.png')]);
    } finally {
      await other.cleanup();
      await root.cleanup();
    }
  });

  it('throws a plain message for a missing folder or a file', async () => {
    await expect(listImagesInFolder(join(dir, 'nope'))).rejects.toThrow('was not found');
    await expect(listImagesInFolder(join(dir, 'img2.jpg'))).rejects.toThrow('is not a folder');
  });
});
