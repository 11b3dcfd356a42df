// Attack: an export of several files (OBJ + MTL + textures, or several formats) that failed on its last
// file - disk full, a drive pulled - or was killed while writing it left the files written before in
// the user's folder: an OBJ naming a texture that is not there, half a set of formats. Now the set is
// written under temp names first and given its names only once complete: a failure leaves nothing new
// in the folder (no temp file either) and every file that was there before as it was, and while the
// last file is being written none of the set's names is there yet.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExportService } from '../../src/core/export/service';
import type { RecipeRunner } from '../../src/core/export/worker-pool';
import { exportModel } from '../../src/core/library/export-model';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { makeTestGlb } from '../fixtures/make-glb';

// Creating the file that ends with `disk.name` (its temp file) fails with ENOSPC (`disk.full`), or waits
// for `disk.hold` to settle.
const disk = vi.hoisted(() => ({ name: '', full: false, hold: null as Promise<void> | null, held: false }));
vi.mock('../../src/core/util/quick-fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/util/quick-fs')>();
  return {
    ...real,
    createFile: async (path: string) => {
      if (disk.name && path.endsWith(disk.name)) {
        if (disk.full) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), { code: 'ENOSPC' });
        disk.held = true;
        await disk.hold;
      }
      return real.createFile(path);
    },
  };
});

let dir: string;
let out: string;
const before = { 'chair.glb': 'an earlier export', 'notes.txt': 'mine' };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-export-set-'));
  out = join(dir, 'out');
  mkdirSync(out);
  // What was there before: another export of a "chair", and a file of the user's.
  for (const [name, text] of Object.entries(before)) writeFileSync(join(out, name), text);
  Object.assign(disk, { name: '', full: false, hold: null, held: false });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The folder holds what it held before, as it was: nothing new, no temp file. */
function asBefore() {
  expect(readdirSync(out).sort()).toEqual(Object.keys(before).sort());
  for (const [name, text] of Object.entries(before)) expect(readFileSync(join(out, name), 'utf8')).toBe(text);
}

/** The export studio over one model "chair" whose recipe makes a GLB, an OBJ, its MTL and a texture. */
function studio() {
  const src = join(dir, 'model.glb');
  writeFileSync(src, 'the model');
  const library = { get: (id: string) => (id === 'm' ? { id, name: 'chair' } : null), filePath: (id: string) => (id === 'm' ? src : null) };
  const runner: RecipeRunner = {
    run: async (source, _recipe, stem) => ({
      files: [
        { name: `${stem}.glb`, format: 'glb', data: source, triangles: 1 },
        { name: `${stem}.obj`, format: 'obj', data: new TextEncoder().encode(`mtllib ${stem}.mtl\n`), triangles: 1 },
        { name: `${stem}.mtl`, format: 'obj', data: new TextEncoder().encode(`newmtl m\nmap_Kd ${stem}_texture0.png\n`), triangles: null },
        { name: `${stem}_texture0.png`, format: 'obj', data: new Uint8Array([1, 2, 3]), triangles: null },
      ],
      plan: {} as never,
      preview: source,
      threadId: 0,
    }),
    warm: () => undefined,
    close: async () => undefined,
  };
  const service = createExportService(library, join(dir, 'data'), runner);
  return () => service.run('m', ExportRecipeSchema.parse({ formats: ['glb', 'obj'] }), { dir: out });
}

describe('an export of several files', () => {
  it('from the export studio, failing on its last file, leaves the folder as it was', async () => {
    const run = studio();
    Object.assign(disk, { name: '-chair-2_texture0.png', full: true });
    await expect(run()).rejects.toThrow();
    asBefore();
    // Room again: the whole set is written.
    disk.full = false;
    expect((await run()).files.map((path) => path.slice(out.length + 1))).toEqual(['chair-2.glb', 'chair-2.obj', 'chair-2.mtl', 'chair-2_texture0.png']);
  });

  it('from the export studio: while its last file is written, none of the set is in the folder under its name', async () => {
    const run = studio();
    let release!: () => void;
    Object.assign(disk, { name: '-chair-2_texture0.png', hold: new Promise<void>((resolve) => (release = resolve)) });
    const running = run();
    await vi.waitFor(() => expect(disk.held).toBe(true));
    // A kill now leaves only hidden temp files.
    expect(readdirSync(out).filter((name) => !name.startsWith('.tmp-')).sort()).toEqual(Object.keys(before).sort());
    release();
    await running;
    expect(readdirSync(out).sort()).toEqual(['chair-2.glb', 'chair-2.mtl', 'chair-2.obj', 'chair-2_texture0.png', ...Object.keys(before)].sort());
  });

  it('an OBJ from the library (Export as OBJ), failing on its texture, leaves the folder as it was', async () => {
    const src = join(dir, 'model.glb');
    writeFileSync(src, await makeTestGlb({ triangles: 20, textureSize: 8, seed: 1 }));
    Object.assign(disk, { name: '-chair_texture0.png', full: true });
    await expect(exportModel(src, join(out, 'chair.obj'), 'obj')).rejects.toThrow(/ENOSPC/);
    asBefore();
    disk.full = false;
    expect(await exportModel(src, join(out, 'chair.obj'), 'obj')).toEqual(['chair.obj', 'chair.mtl', 'chair_texture0.png'].map((name) => join(out, name)));
  });
});
