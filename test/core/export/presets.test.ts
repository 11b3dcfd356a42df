// Every built-in preset on a generated model: valid GLBs, triangle targets, texture caps, real size,
// pivot, and print files that read back in millimetres.
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportRecipeSchema, type ExportRecipe, type ExportRecipeInput } from '../../../src/shared/export-recipe';
import { readGlb } from '../../../src/core/export/io';
import { runRecipe } from '../../../src/core/export/pipeline';
import { BUILT_IN_PRESETS } from '../../../src/core/export/presets';
import { makeTestGlb } from '../../fixtures/make-glb';
import { centreOf, inspectGlb, read3mf, readStl, sizeOf, validatorErrors, zipEntries } from './helpers';

const preset = (id: string): ExportRecipe => BUILT_IN_PRESETS.find((p) => p.id === id)!.recipe;
const withKnobs = (id: string, knobs: Partial<ExportRecipeInput>): ExportRecipe => ExportRecipeSchema.parse({ ...preset(id), ...knobs });
const within = (actual: number, expected: number, fraction: number) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(Math.abs(expected) * fraction);

let source: Uint8Array;
let sourceHeight: number;

beforeAll(async () => {
  // ~40k triangles and a 1536 px texture: above every preset's triangle target and texture cap.
  source = await makeTestGlb({ triangles: 40_000, textureSize: 1536, seed: 3 });
  sourceHeight = sizeOf((await inspectGlb(source)).box)[1]!;
}, 60_000);

describe('built-in presets', () => {
  it('blender: GLB with the origin at the centre of the base, at the asked height', async () => {
    const result = await runRecipe(source, withKnobs('blender', { realSize: { dimension: 'height', value: 180, unit: 'cm' } }), 'chair');
    expect(result.files.map((f) => f.name)).toEqual(['chair.glb']);
    const glb = result.files[0]!.data;
    expect(await validatorErrors(glb)).toEqual([]);
    const { box, triangles } = await inspectGlb(glb);
    within(sizeOf(box)[1]!, 1.8, 0.001);
    expect(box.min[1]).toBeCloseTo(0, 6);
    expect(centreOf(box)[0]).toBeCloseTo(0, 6);
    expect(centreOf(box)[2]).toBeCloseTo(0, 6);
    expect(triangles).toBe(result.plan.source.triangles);
    expect(result.plan.result.size[1]).toBeCloseTo(1.8, 4);
  });

  it('game: 20k triangles, LOD0-LOD3 at 100/50/25/10 %, textures capped at 1024 px, each GLB valid', async () => {
    const result = await runRecipe(source, preset('game'), 'chair');
    expect(result.files.map((f) => f.name)).toEqual(['chair_LOD0.glb', 'chair_LOD1.glb', 'chair_LOD2.glb', 'chair_LOD3.glb']);
    const targets = [20_000, 10_000, 5_000, 2_000];
    for (const [i, file] of result.files.entries()) {
      expect(await validatorErrors(file.data), file.name).toEqual([]);
      const { triangles, textures, box } = await inspectGlb(file.data);
      within(triangles, targets[i]!, 0.05);
      expect(file.triangles).toBe(triangles);
      expect(textures.length).toBe(1);
      for (const t of textures) expect(Math.max(t.width, t.height)).toBeLessThanOrEqual(1024);
      // Every LOD shares the full model's pivot (so they line up when the engine switches): a
      // simplified LOD may lose the lowest vertex by a hair.
      expect(Math.abs(box.min[1]!)).toBeLessThan(sizeOf(box)[1]! * 0.005);
    }
    expect(result.plan.result.triangles).toBe(result.files[0]!.triangles);
    expect(result.plan.result.textures[0]).toMatchObject({ width: 1024, height: 1024 });
    // Resized, not degraded: still a true-colour PNG, not a 256-colour palette one (IHDR colour type 3).
    const [png] = (await readGlb(result.files[0]!.data)).getRoot().listTextures().map((t) => t.getImage()!);
    expect(png![25], 'PNG colour type').not.toBe(3);
  });

  it('web: Meshopt geometry, WebP textures up to 1024 px, size budget reported before and after', async () => {
    const result = await runRecipe(source, preset('web'), 'chair');
    const glb = result.files[0]!.data;
    expect(await validatorErrors(glb)).toEqual([]);
    const { extensions, textures, triangles } = await inspectGlb(glb);
    expect(extensions).toEqual(expect.arrayContaining(['EXT_meshopt_compression', 'EXT_texture_webp']));
    expect(textures.every((t) => t.mimeType === 'image/webp' && t.width <= 1024 && t.height <= 1024)).toBe(true);
    within(triangles, 30_000, 0.05);
    expect(result.plan.source.bytes).toBe(source.byteLength);
    expect(result.plan.result.glbBytes).toBe(glb.byteLength);
    expect(glb.byteLength).toBeLessThan(source.byteLength);
    expect(result.plan.budget).toEqual({ bytes: 2 * 1024 * 1024, withinBudget: glb.byteLength <= 2 * 1024 * 1024 });
  });

  it('web with Draco: a valid GLB using KHR_draco_mesh_compression', async () => {
    const result = await runRecipe(source, withKnobs('web', { compression: 'draco' }), 'chair');
    const glb = result.files[0]!.data;
    expect(await validatorErrors(glb)).toEqual([]);
    expect((await inspectGlb(glb)).extensions).toContain('KHR_draco_mesh_compression');
  });

  it('ar: GLB and USDZ at 30 cm standing on the floor; the USDZ is a 64-byte aligned, stored zip with the scene first', async () => {
    const result = await runRecipe(source, preset('ar'), 'chair');
    expect(result.files.map((f) => f.name)).toEqual(['chair.glb', 'chair.usdz']);
    const glb = result.files[0]!.data;
    expect(await validatorErrors(glb)).toEqual([]);
    const { box } = await inspectGlb(glb);
    within(sizeOf(box)[1]!, 0.3, 0.001);
    expect(box.min[1]).toBeCloseTo(0, 6);

    const usdz = result.files[1]!.data;
    const entries = zipEntries(usdz);
    expect(entries[0]!.name).toBe('model.usda');
    expect(entries.map((e) => e.name)).toContain('textures/Material_0_baseColor.png');
    for (const entry of entries) {
      expect(entry.method, entry.name).toBe(0);
      expect(entry.dataOffset % 64, entry.name).toBe(0);
    }
    const usda = new TextDecoder().decode(unzipSync(usdz)['model.usda']);
    expect(usda).toMatch(/^#usda 1\.0/);
    expect(usda).toContain('upAxis = "Y"');
    expect(usda).toContain('metersPerUnit = 1');
    expect(usda).toContain('asset inputs:file = @textures/Material_0_baseColor.png@');
    const points = /point3f\[\] points = \[([^\]]*)\]/.exec(usda)![1]!;
    const ys = [...points.matchAll(/\(([-\d.e]+), ([-\d.e]+), ([-\d.e]+)\)/g)].map((m) => Number(m[2]));
    expect(ys.length).toBeGreaterThan(1000);
    expect(Math.min(...ys)).toBeCloseTo(0, 6);
    expect(Math.max(...ys)).toBeLessThanOrEqual(0.3 * 1.001);
  });

  it('print: STL and 3MF in millimetres, Z up, base on the plate, with a closed-mesh report', async () => {
    const result = await runRecipe(source, preset('print'), 'chair');
    expect(result.files.map((f) => f.name)).toEqual(['chair.stl', 'chair.3mf']);
    const stl = readStl(result.files[0]!.data);
    expect(stl.header).toContain('millimetres');
    expect(stl.triangles).toBe(result.plan.source.triangles);
    within(stl.box.max[2]! - stl.box.min[2]!, 100, 0.001);
    expect(stl.box.min[2]).toBeCloseTo(0, 3);
    expect((stl.box.min[0]! + stl.box.max[0]!) / 2).toBeCloseTo(0, 3);
    expect((stl.box.min[1]! + stl.box.max[1]!) / 2).toBeCloseTo(0, 3);

    const three = read3mf(result.files[1]!.data);
    expect(three.names).toEqual(expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', '3D/3dmodel.model']));
    expect(three.ns).toBe('http://schemas.microsoft.com/3dmanufacturing/core/2015/02');
    expect(three.unit).toBe('millimeter');
    expect(three.rels).toContain('Target="/3D/3dmodel.model"');
    within(three.box.max[2]! - three.box.min[2]!, 100, 0.001);
    expect(three.box.min[2]).toBeCloseTo(0, 3);
    expect(three.triangles.every((t) => t.every((v) => v < three.vertices.length))).toBe(true);

    const report = result.plan.print!;
    expect(report).toMatchObject({ closed: true, holes: 0, nonManifoldEdges: 0, unit: 'mm' });
    within(report.size[2], 100, 0.001);
    // A closed sphere-like blob 100 mm tall: volume between a cube's and nothing.
    expect(report.volume).toBeGreaterThan(100_000);
    expect(report.volume).toBeLessThan(1_000_000);
  });
});

describe('knobs', () => {
  it('a recipe that changes nothing writes the original bytes', async () => {
    const result = await runRecipe(source, ExportRecipeSchema.parse({ formats: ['glb'] }), 'chair');
    expect(result.files[0]!.data).toBe(source);
  });

  it('pivot centre puts the bounding box centre at the origin; Z up turns height onto Z', async () => {
    const centred = await runRecipe(source, ExportRecipeSchema.parse({ formats: ['glb'], pivot: 'center' }), 'm');
    for (const c of centreOf((await inspectGlb(centred.files[0]!.data)).box)) expect(c).toBeCloseTo(0, 6);

    const zUp = await runRecipe(source, ExportRecipeSchema.parse({ formats: ['glb'], upAxis: 'z', pivot: 'base' }), 'm');
    const { box } = await inspectGlb(zUp.files[0]!.data);
    within(sizeOf(box)[2]!, sourceHeight, 0.001);
    expect(box.min[2]).toBeCloseTo(0, 6);
  });

  it('simplify by ratio lands within 5 % of the target; "longest" real size scales the longest side', async () => {
    const result = await runRecipe(
      source,
      ExportRecipeSchema.parse({ formats: ['glb'], weld: true, simplify: { mode: 'ratio', ratio: 0.25 }, realSize: { dimension: 'longest', value: 2, unit: 'in' } }),
      'm',
    );
    const { triangles, box } = await inspectGlb(result.files[0]!.data);
    within(triangles, result.plan.source.triangles * 0.25, 0.05);
    within(Math.max(...sizeOf(box)), 0.0508, 0.001);
  });

  it('OBJ is written in the chosen unit with its MTL and texture', async () => {
    const result = await runRecipe(source, ExportRecipeSchema.parse({ formats: ['obj'], unit: 'cm', pivot: 'base', realSize: { dimension: 'height', value: 50, unit: 'cm' } }), 'chair');
    expect(result.files.map((f) => f.name)).toEqual(['chair.obj', 'chair.mtl', 'chair_texture0.png']);
    const ys = new TextDecoder()
      .decode(result.files[0]!.data)
      .split('\n')
      .filter((l) => l.startsWith('v '))
      .map((l) => Number(l.split(' ')[2]));
    within(Math.max(...ys) - Math.min(...ys), 50, 0.001);
  });
});
