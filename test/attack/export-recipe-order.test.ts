// Attack (export presets through the page or the CLI): levels of detail typed coarsest first
// (`--lods 25,50,100`, or "25, 50, 100" in the studio) were written in that order, so name_LOD0.glb -
// the level Unity, Unreal and Godot show up close - was the coarsest one. A format named twice
// (["stl", "stl"]) wrote the same file twice and counted it twice in the plan's files and total size.
// The recipe schema now keeps each format once and the levels finest first; a saved preset too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { runRecipe } from '../../src/core/export/pipeline';
import { createPresetStore } from '../../src/core/export/preset-store';
import { makeTestGlb } from '../fixtures/make-glb';

const dir = mkdtempSync(join(tmpdir(), 'i2m-recipe-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('LOD0 is the finest level whatever order the levels were given in', async () => {
  const recipe = ExportRecipeSchema.parse({ formats: ['glb'], lods: [0.25, 1, 0.5, 0.25] });
  const { files } = await runRecipe(await makeTestGlb({ triangles: 800, seed: 5 }), recipe, 'chair');
  expect(files.map((f) => f.name)).toEqual(['chair_LOD0.glb', 'chair_LOD1.glb', 'chair_LOD2.glb']);
  const triangles = files.map((f) => f.triangles!);
  expect(triangles[0]).toBeGreaterThan(triangles[1]!);
  expect(triangles[1]).toBeGreaterThan(triangles[2]!);
});

it('a format named twice is written and counted once', async () => {
  const recipe = ExportRecipeSchema.parse({ formats: ['stl', 'glb', 'stl'] });
  const { files, plan } = await runRecipe(await makeTestGlb({ triangles: 200, seed: 6 }), recipe, 'lamp');
  expect(files.map((f) => f.name)).toEqual(['lamp.glb', 'lamp.stl']);
  expect(plan.totalBytes).toBe(files.reduce((sum, f) => sum + f.data.byteLength, 0));
});

it('a saved preset keeps its levels finest first', async () => {
  const saved = await createPresetStore(dir).save({ label: 'Engine', recipe: { formats: ['glb', 'glb'], lods: [0.1, 0.5, 1] } });
  expect(saved.recipe).toMatchObject({ formats: ['glb'], lods: [1, 0.5, 0.1] });
  expect(createPresetStore(dir).get(saved.id)?.recipe.lods).toEqual([1, 0.5, 0.1]);
});
