import { it } from 'vitest';
import { runRecipe } from '../../src/core/export/pipeline';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { packGlb } from '../core/library/helpers';
import { makeTestGlb } from '../fixtures/make-glb';

const tri = (p: number[]) => {
  const bin = new Uint8Array(new Float32Array(p).buffer);
  const f32 = new Float32Array(p);
  const min = [0, 1, 2].map((k) => Math.min(f32[k]!, f32[k + 3]!, f32[k + 6]!));
  const max = [0, 1, 2].map((k) => Math.max(f32[k]!, f32[k + 3]!, f32[k + 6]!));
  return packGlb({ asset: { version: '2.0' }, buffers: [{ byteLength: 36 }], bufferViews: [{ buffer: 0, byteLength: 36, target: 34962 }],
    accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min, max }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }], nodes: [{ mesh: 0 }], scenes: [{ nodes: [0] }], scene: 0 }, bin);
};

it('draco after trap', async () => {
  const good = await makeTestGlb({ triangles: 600, textureSize: 64, seed: 1 });
  const huge = tri([-3e38, -3e38, -3e38, 3e38, 0, 0, 0, 3e38, 3e38]);
  const draco = ExportRecipeSchema.parse({ formats: ['glb'], compression: 'draco' });
  const simp = ExportRecipeSchema.parse({ formats: ['glb'], simplify: { mode: 'ratio', ratio: 0.5 } });
  for (const [label, glb, r] of [['good-draco', good, draco], ['huge-draco', huge, draco], ['good-draco', good, draco], ['huge-simp', huge, simp], ['good-simp', good, simp], ['good-draco', good, draco]] as const) {
    try { const res = await runRecipe(glb, r, 'x'); console.log(label, 'ok', res.files[0]!.data.byteLength); } catch (e) { console.log(label, 'err', (e as Error).message); }
  }
}, 120000);
