// The sweep of unreferenced library files (src/core/library/orphans.ts): how much one sweep does.
// What it removes and keeps, with real engines on one folder: test/core/engine/shared-folder.test.ts.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepOrphanFiles } from '../../../src/core/library/orphans';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** `count` old content-hash files in a fresh folder. */
function folderWithOrphans(count: number): { dir: string; paths: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-orphans-'));
  dirs.push(dir);
  const old = new Date(Date.now() - 7_200_000);
  const paths = Array.from({ length: count }, (_, i) => {
    const sha = createHash('sha256').update(`file ${i}`).digest('hex');
    mkdirSync(join(dir, sha.slice(0, 2)), { recursive: true });
    const path = join(dir, sha.slice(0, 2), `${sha}.glb`);
    writeFileSync(path, `file ${i}`);
    utimesSync(path, old, old);
    return path;
  });
  return { dir, paths };
}

/** A library with no rows: every file is unreferenced; removal as the store does it. */
const emptyLibrary = {
  allFiles: () => [],
  removeFileUnlessReferenced: (path: string) => {
    rmSync(path);
    return true;
  },
};

describe('sweepOrphanFiles', () => {
  it('looks at no more than maxFiles per sweep; sweeps starting at random shards get past the files in use', async () => {
    const { dir, paths } = folderWithOrphans(60);
    // Two in three are a model's files; the rest are orphans.
    const inUse = paths.filter((_, i) => i % 3 !== 0);
    const orphans = paths.filter((_, i) => i % 3 === 0);
    const library = { ...emptyLibrary, allFiles: () => inUse.map((filePath, i) => ({ id: String(i), filePath, previewPath: null })) };
    const signal = new AbortController().signal;
    const sweep = (seed: number) => sweepOrphanFiles(library, [dir], { minAgeMs: 3_600_000, now: Date.now, signal, maxFiles: 25, random: () => seed });

    expect((await sweep(0)).checked).toBe(25);
    for (let seed = 0.05; seed < 1; seed += 0.05) await sweep(seed);
    expect(orphans.filter((path) => existsSync(path))).toEqual([]);
    expect(inUse.every((path) => existsSync(path))).toBe(true);
  });

  it('stops at once when the engine stops', async () => {
    const { dir, paths } = folderWithOrphans(10);
    const controller = new AbortController();
    controller.abort();
    expect(await sweepOrphanFiles(emptyLibrary, [dir], { minAgeMs: 0, now: Date.now, signal: controller.signal })).toEqual({ checked: 0, removed: 0 });
    expect(paths.every((path) => existsSync(path))).toBe(true);
  });
});
