// The export service: saved presets, writing without overwriting, batches with progress, cancel and
// a summary; and the print report's hole count on an open mesh.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
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
    const date = new Date('2026-03-04T05:06:07Z');
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
