// Attack: "Export as OBJ / GLB" (the save dialog, the CLI's `export <id> <file>`) killed while writing
// left its hidden temp files - the OBJ, its MTL and textures, or a whole GLB - in the user's folder for
// good. Each temp file is now journaled before it is made (export/set-journal.ts), so the next export
// into that folder removes them once the process is gone (export-set-killed.test.ts kills one for real).
// Here the export is held while its last temp file is made - what a kill at that moment leaves.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { exportModel } from '../../src/core/library/export-model';
import { makeTestGlb } from '../fixtures/make-glb';

const disk = vi.hoisted(() => ({ name: '', held: false, release: () => undefined as void }));
vi.mock('../../src/core/util/quick-fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/util/quick-fs')>();
  return {
    ...real,
    createFile: async (path: string) => {
      if (disk.name && path.endsWith(disk.name)) {
        disk.held = true;
        await new Promise<void>((resolve) => (disk.release = resolve));
      }
      return real.createFile(path);
    },
  };
});

// A GLB is copied (copyFile): held once its temp copy is made.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const copyFile: typeof real.copyFile = async (from, to, mode) => {
    await real.copyFile(from, to, mode);
    if (disk.name && String(to).endsWith(disk.name)) {
      disk.held = true;
      await new Promise<void>((resolve) => (disk.release = resolve));
    }
  };
  return { ...real, copyFile, default: { ...real, copyFile } };
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-export-journaled-'));
  Object.assign(disk, { name: '', held: false });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The journal in `dir` names every hidden temp file there is (but itself). */
function journaledTemps(): { temps: string[]; onDisk: string[] } {
  const names = readdirSync(dir);
  const journals = names.filter((name) => name.endsWith('image2model-export-set.json'));
  expect(journals).toHaveLength(1);
  const body = JSON.parse(readFileSync(join(dir, journals[0]!), 'utf8')) as { temps: string[]; targets: string[] };
  expect(body.targets).toEqual([]);
  return { temps: body.temps, onDisk: names.filter((name) => name.startsWith('.tmp-') && !journals.includes(name)) };
}

it.each([
  ['obj', '_texture0.png'],
  ['glb', 'chair.glb'],
] as const)('Export as %s held while writing: every temp file it made is journaled; none is left once it ends', async (format, last) => {
  const src = join(dir, 'model.glb');
  writeFileSync(src, await makeTestGlb({ triangles: 20, textureSize: 8, seed: 1 }));
  const out = mkdtempSync(join(dir, 'out-'));
  dir = out;
  disk.name = last;
  const running = exportModel(src, join(out, `chair.${format}`), format);
  await vi.waitFor(() => expect(disk.held).toBe(true));
  const { temps, onDisk } = journaledTemps();
  expect(onDisk.length).toBeGreaterThan(0);
  for (const temp of onDisk) expect(temps).toContain(temp);
  disk.release();
  await running;
  expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);
  dir = join(out, '..');
});
