// The export service: saved presets, writing without overwriting, batches with progress, cancel and
// a summary; and the print report's hole count on an open mesh.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportRecipeSchema, type BatchProgress } from '../../../src/shared/export-recipe';
import { readGlb } from '../../../src/core/export/io';
import { printReport, weldByPosition } from '../../../src/core/export/measure';
import { PRESETS_FILE } from '../../../src/core/export/preset-store';
import { createExportService } from '../../../src/core/export/service';
import { fileStem } from '../../../src/core/export/write';
import { collectWorldMeshes } from '../../../src/core/library/world-mesh';
import { makeTestGlb } from '../../fixtures/make-glb';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'i2m-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function library(count: number) {
  const models = new Map<string, { id: string; name: string; path: string }>();
  for (let i = 0; i < count; i++) {
    const path = join(dir, `model${i}.glb`);
    await writeFile(path, await makeTestGlb({ triangles: 600, textureSize: 64, seed: i + 1 }));
    models.set(`m${i}`, { id: `m${i}`, name: i % 2 ? 'Chair' : `Lamp ${i}`, path });
  }
  return {
    get: (id: string) => models.get(id) ?? null,
    filePath: (id: string) => models.get(id)?.path ?? null,
  };
}

const GLB_BASE = ExportRecipeSchema.parse({ formats: ['glb'], pivot: 'base' });

describe('export service', () => {
  it('saves, lists and removes the user\'s presets next to the built-in ones, in a JSON file', async () => {
    const service = createExportService(await library(0), dir);
    expect(service.presets.list().map((p) => p.id)).toEqual(['blender', 'game', 'web', 'ar', 'print']);
    const saved = await service.presets.save({ label: 'My Unity', recipe: { formats: ['glb'], lods: [1, 0.5] } });
    expect(saved).toMatchObject({ id: 'my-unity', builtIn: false, recipe: { lods: [1, 0.5], pivot: 'original' } });
    const again = await service.presets.save({ label: 'My Unity', recipe: { formats: ['stl'] } });
    expect(again.id).toBe('my-unity-2');
    // A second store (the CLI) reads the same file.
    const other = createExportService(await library(0), dir);
    expect(other.presets.get('my-unity')?.recipe.lods).toEqual([1, 0.5]);
    expect(await other.presets.remove('my-unity')).toBe(true);
    expect(service.presets.list().map((p) => p.id)).toEqual(['blender', 'game', 'web', 'ar', 'print', 'my-unity-2']);
    expect(await service.presets.remove('game')).toBe(false);
  });

  it('reports a broken presets file instead of using part of it', async () => {
    await writeFile(join(dir, PRESETS_FILE), JSON.stringify({ version: 1, presets: [{ id: 'x', label: 'X', recipe: { formats: [] } }] }));
    const service = createExportService(await library(0), dir);
    expect(service.presets.list()).toHaveLength(5);
    expect(service.presets.problem()).toContain(PRESETS_FILE);
  });

  it('writes a model under its pattern name and never overwrites an earlier export', async () => {
    const service = createExportService(await library(2), dir);
    const out = join(dir, 'out');
    const recipe = ExportRecipeSchema.parse({ ...GLB_BASE, lods: [1, 0.5], fileName: '{name}-{preset}' });
    const first = await service.run('m1', recipe, { presetId: 'game', dir: out });
    expect(first.files.map((f) => f.slice(out.length + 1))).toEqual(['Chair-game_LOD0.glb', 'Chair-game_LOD1.glb']);
    const second = await service.run('m1', recipe, { presetId: 'game', dir: out });
    expect(second.files.map((f) => f.slice(out.length + 1))).toEqual(['Chair-game-2_LOD0.glb', 'Chair-game-2_LOD1.glb']);
    expect((await readdir(out)).sort()).toHaveLength(4);
    await expect(service.run('nope', recipe, { dir: out })).rejects.toThrow(/No model with id nope/);
  });

  it('exports a batch of 50 models with progress and a correct summary, failures included', async () => {
    const lib = await library(49);
    const service = createExportService(lib, dir);
    const ids = [...Array.from({ length: 49 }, (_, i) => `m${i}`), 'missing'];
    const progress: BatchProgress[] = [];
    const summary = await service.batch(ids, GLB_BASE, { batchId: 'b1', presetId: 'blender', dir: join(dir, 'batch'), onProgress: (p) => progress.push(p) });
    expect(summary).toMatchObject({ batchId: 'b1', total: 50, succeeded: 49, failed: 1, canceled: false });
    expect(summary.items.find((i) => !i.ok)).toMatchObject({ id: 'missing', error: expect.stringContaining('No model') });
    const files = await readdir(join(dir, 'batch'));
    expect(files).toHaveLength(49);
    // 25 models are all called "Chair": each got its own name.
    expect(files.filter((f) => f.startsWith('Chair'))).toHaveLength(24);
    expect(new Set(summary.items.flatMap((i) => i.files)).size).toBe(49);
    expect(progress.at(-1)).toMatchObject({ done: 50, total: 50, failed: 1, current: null });
    expect(progress.map((p) => p.done)).toEqual([...Array.from({ length: 50 }, (_, i) => i), 50]);
  }, 120_000);

  it('stops a batch when canceled, abandoning the model in hand (no file of it is written)', async () => {
    const service = createExportService(await library(6), dir);
    const ids = Array.from({ length: 6 }, (_, i) => `m${i}`);
    const summary = await service.batch(ids, GLB_BASE, {
      batchId: 'b2',
      dir: join(dir, 'batch'),
      // Fired as model m2 starts.
      onProgress: (p) => p.done === 2 && service.cancel('b2'),
    });
    expect(summary).toMatchObject({ canceled: true, succeeded: 2, failed: 0, total: 6 });
    expect(summary.items.map((i) => i.id)).toEqual(['m0', 'm1']);
    expect((await readdir(join(dir, 'batch'))).sort()).toEqual(['Chair.glb', 'Lamp 0.glb']);
    expect(service.cancel('b2')).toBe(false);
  });

  it('makes the plan in a worker thread, not on the caller\'s event loop', async () => {
    const service = createExportService(await library(1), dir);
    const planned = await service.plan('m0', GLB_BASE);
    expect(planned.threadId).toEqual(expect.any(Number));
    expect(planned.threadId).not.toBe(threadId);
    expect(planned.plan.files.map((f) => f.name)).toEqual(['Lamp 0.glb']);
  });
});

describe('file names', () => {
  it('fills the pattern and removes characters no file system accepts', () => {
    const date = new Date('2026-03-04T12:06:07Z'); // the same calendar day in every time zone from -11 to +11 h
    expect(fileStem('{name}_{preset}_{date}', { name: 'a/b: c?', id: 'x1', preset: 'web', date })).toBe('a_b_ c__web_2026-03-04');
    expect(fileStem('{id}', { name: 'n', id: 'abc', preset: 'p' })).toBe('abc');
    expect(fileStem('...', { name: 'n', id: 'abc', preset: 'p' })).toBe('model');
  });
});

describe('print report', () => {
  it('counts each separate opening as a hole and reports the mesh as open', async () => {
    const doc = await readGlb(await makeTestGlb({ triangles: 2000, seed: 2 }));
    const prim = doc.getRoot().listMeshes()[0]!.listPrimitives()[0]!;
    const indices = prim.getIndices()!;
    const list = Array.from(indices.getArray()! as ArrayLike<number>);
    // Two triangles far apart (different latitude bands): two holes.
    const third = Math.floor(list.length / 9) * 3;
    const remove = new Set([third, third * 2]);
    const kept = list.filter((_, i) => !remove.has(i - (i % 3)));
    indices.setArray(new Uint32Array(kept));
    const report = printReport(weldByPosition(collectWorldMeshes(doc)), 'mm');
    expect(report).toMatchObject({ closed: false, holes: 2 });

    const closed = printReport(weldByPosition(collectWorldMeshes(await readGlb(await makeTestGlb({ triangles: 2000, seed: 2 })))), 'mm');
    expect(closed).toMatchObject({ closed: true, holes: 0 });
    // Unit sphere-ish, in mm^3: around 4/3 pi 1000^3.
    expect(closed.volume).toBeGreaterThan(3e9);
    expect(closed.volume).toBeLessThan(5.5e9);
  });
});

// OBJ and MTL readers split each line on whitespace and take `#` for a comment: a model named
// "Lamp #2 for hall" wrote `mtllib Lamp #2 for hall.mtl`, which such a reader takes as the library
// "Lamp". Read back the way they read, every name the OBJ and its MTL give must be a written file of
// the same export - also for the second export of the same model (`-2`), which read the first one's MTL.
describe('OBJ material libraries', () => {
  /** What a whitespace-splitting reader finds after `keyword` on each line (comments cut first). */
  const tokensAfter = (text: string, keyword: string) =>
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
      .filter((tokens) => tokens[0] === keyword)
      .map((tokens) => tokens.slice(1));

  it('names files a whitespace-splitting reader can open, for each export of a model into one folder', async () => {
    const path = join(dir, 'lamp.glb');
    await writeFile(path, await makeTestGlb({ triangles: 200, textureSize: 32, seed: 3 }));
    const models = { get: (id: string) => (id === 'm' ? { id, name: 'Lamp #2 for hall', path } : null), filePath: (id: string) => (id === 'm' ? path : null) };
    const service = createExportService(models, dir);
    const out = join(dir, 'out');
    const recipe = ExportRecipeSchema.parse({ formats: ['obj'] });
    for (const round of [1, 2]) {
      const { files } = await service.run('m', recipe, { dir: out });
      const obj = files.find((file) => file.endsWith('.obj'))!;
      expect(obj).toBe(join(out, round === 1 ? 'Lamp #2 for hall.obj' : 'Lamp #2 for hall-2.obj'));
      const libraries = tokensAfter(await readFile(obj, 'utf8'), 'mtllib');
      expect(libraries).toHaveLength(1);
      expect(libraries[0]).toHaveLength(1);
      const mtl = join(out, libraries[0]![0]!);
      expect(files).toContain(mtl);
      const mtlText = await readFile(mtl, 'utf8');
      const materials = tokensAfter(mtlText, 'newmtl').map((tokens) => tokens.join(' '));
      for (const used of tokensAfter(await readFile(obj, 'utf8'), 'usemtl')) expect(materials).toContain(used.join(' '));
      const textures = tokensAfter(mtlText, 'map_Kd');
      expect(textures.length).toBeGreaterThan(0);
      for (const texture of textures) {
        expect(texture).toHaveLength(1);
        expect(files).toContain(join(out, texture[0]!));
      }
    }
    expect((await readdir(out)).sort()).toEqual([
      'Lamp #2 for hall-2.obj',
      'Lamp #2 for hall.obj',
      'Lamp_2_for_hall-2.mtl',
      'Lamp_2_for_hall-2_texture0.png',
      'Lamp_2_for_hall.mtl',
      'Lamp_2_for_hall_texture0.png',
    ]);
  });
});
