// Attack on the exports that flatten a model (OBJ, STL, 3MF, USDZ; the CLI's convert): every node
// that shows a mesh gets its own baked copy of it (library/world-mesh.ts). A 3 MB GLB - one mesh of a
// million triangles, shown by 100 nodes - passes validateGlb (the viewer draws it from one geometry)
// but baked to 1.2 GB before a writer even started (measured; 1,000 nodes: 12 GB, the STL on top).
import { expect, it } from 'vitest';
import { convertGlb } from '../../src/core/library/convert';
import { checkGlbHeader, validateGlb } from '../../src/core/library/glb';
import { readDocument } from '../../src/core/library/gltf-document';
import { collectWorldMeshes } from '../../src/core/library/world-mesh';
import { packGlb } from '../core/library/helpers';

/** One mesh (3 vertices, `triangles` triangles of byte indices) shown by `nodes` nodes. */
function reusedMesh(nodes: number, triangles = 1_000_000): Uint8Array {
  const bin = new Uint8Array(36 + triangles * 3 + ((4 - ((triangles * 3) % 4)) % 4));
  new Float32Array(bin.buffer, 0, 9).set([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  for (let i = 0; i < triangles * 3; i++) bin[36 + i] = i % 3;
  const json = {
    asset: { version: '2.0' },
    buffers: [{ byteLength: bin.byteLength }],
    bufferViews: [
      { buffer: 0, byteLength: 36, target: 34962 },
      { buffer: 0, byteOffset: 36, byteLength: triangles * 3, target: 34963 },
    ],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] },
      { bufferView: 1, componentType: 5121, count: triangles * 3, type: 'SCALAR' },
    ],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }],
    nodes: Array.from({ length: nodes }, (_, i) => ({ mesh: 0, translation: [i, 0, 0] })),
    scenes: [{ nodes: Array.from({ length: nodes }, (_, i) => i) }],
    scene: 0,
  };
  return packGlb(json, bin);
}

const readOf = (bytes: Uint8Array) => {
  const header = checkGlbHeader(bytes);
  if (!header.ok) throw new Error(header.reason);
  return readDocument(bytes, header.json);
};

it('a small model showing one big mesh a hundred times is refused for flattening before anything is baked, with a reason', async () => {
  const bytes = reusedMesh(100);
  expect((await validateGlb(bytes)).ok).toBe(true);
  const doc = await readOf(bytes);
  expect(() => collectWorldMeshes(doc)).toThrow(/shows its meshes 100 times over.*1,144 MB of memory for 3 MB/);
  await expect(convertGlb(bytes, 'stl')).rejects.toThrow(/shows its meshes 100 times over/);
}, 60_000);

it('a model showing its mesh a few times still flattens, one copy per node', async () => {
  const meshes = collectWorldMeshes(await readOf(reusedMesh(5)));
  expect(meshes).toHaveLength(5);
  expect(meshes[4]!.positions[0]).toBe(4);
}, 60_000);
