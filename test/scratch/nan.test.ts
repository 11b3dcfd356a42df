import { it } from 'vitest';
import { validateGlb } from '../../src/core/library/glb';
import { runRecipe } from '../../src/core/export/pipeline';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { packGlb } from '../core/library/helpers';

const tri = (p: number[], minmax = true) => {
  const bin = new Uint8Array(new Float32Array(p).buffer);
  const f32 = new Float32Array(p);
  const min = [0, 1, 2].map((k) => Math.min(f32[k]!, f32[k + 3]!, f32[k + 6]!));
  const max = [0, 1, 2].map((k) => Math.max(f32[k]!, f32[k + 3]!, f32[k + 6]!));
  return packGlb({
    asset: { version: '2.0' },
    buffers: [{ byteLength: 36 }],
    bufferViews: [{ buffer: 0, byteLength: 36, target: 34962 }],
    accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', ...(minmax ? { min, max } : {}) }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
    nodes: [{ mesh: 0 }],
    scenes: [{ nodes: [0] }],
    scene: 0,
  }, bin);
};

it('odd numbers', async () => {
  const cases: [string, Uint8Array][] = [
    ['nan', tri([NaN, 0, 0, 1, 0, 0, 0, 1, 0])],
    ['inf', tri([Infinity, 0, 0, 1, 0, 0, 0, 1, 0])],
    ['huge', tri([-3e38, -3e38, -3e38, 3e38, 0, 0, 0, 3e38, 3e38])],
    ['tiny', tri([0, 0, 0, 1e-30, 0, 0, 0, 1e-30, 0])],
    ['flat', tri([0, 0, 0, 1, 0, 0, 2, 0, 0])],
  ];
  for (const [label, glb] of cases) {
    const v = await validateGlb(glb);
    console.log(label, v.ok ? 'ACCEPTED' : v.reason);
    if (!v.ok) continue;
    for (const recipe of [
      { formats: ['glb', 'obj', 'stl', 'usdz', '3mf'] },
      { formats: ['glb', 'obj', 'stl', 'usdz', '3mf'], realSize: { dimension: 'height', value: 10, unit: 'cm' }, pivot: 'base', upAxis: 'z' },
      { formats: ['glb'], simplify: { mode: 'ratio', ratio: 0.5 }, lods: [1, 0.5], compression: 'draco' },
      { formats: ['glb'], compression: 'meshopt' },
    ]) {
      try {
        const r = await runRecipe(glb, ExportRecipeSchema.parse(recipe), 'x');
        const obj = r.files.find((f) => f.name.endsWith('.obj'));
        console.log(label, 'ok', r.files.map((f) => f.name).join(','), obj ? new TextDecoder().decode(obj.data).split('\n').filter((l) => l.startsWith('v ')).join(' | ') : '', JSON.stringify(r.plan).slice(0, 300));
      } catch (e) { console.log(label, 'err', (e as Error).message); }
    }
  }
}, 120000);
