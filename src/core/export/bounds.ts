// The scene's world-space bounding box, as glTF-Transform's getBounds computes it (every vertex the
// triangles use, through its node's world matrix), read from the accessors' typed arrays: getBounds
// reads each index and vertex through accessor getters, ~100 ms on a 100k-triangle model.
import type { Accessor, Node, Scene, bbox } from '@gltf-transform/core';

/** Local xyz of every vertex, denormalized when the accessor is quantized. */
function localPositions(position: Accessor): ArrayLike<number> {
  const array = position.getArray();
  if (array && !position.getNormalized() && position.getElementSize() === 3) return array;
  const count = position.getCount();
  const out = new Float64Array(count * 3);
  const element: number[] = [];
  for (let i = 0; i < count; i++) out.set(position.getElement(i, element).slice(0, 3), i * 3);
  return out;
}

function expandByNode(node: Node, min: number[], max: number[]) {
  const mesh = node.getMesh();
  if (!mesh) return;
  const m = node.getWorldMatrix();
  const nodeMin = [Infinity, Infinity, Infinity];
  const nodeMax = [-Infinity, -Infinity, -Infinity];
  for (const prim of mesh.listPrimitives()) {
    const position = prim.getAttribute('POSITION');
    if (!position) continue;
    const p = localPositions(position);
    const count = position.getCount();
    const indices = prim.getIndices()?.getArray() ?? null;
    let used: Uint8Array | null = null;
    if (indices) {
      used = new Uint8Array(count);
      for (let i = 0; i < indices.length; i++) used[indices[i]!] = 1;
    }
    for (let v = 0; v < count; v++) {
      if (used && !used[v]) continue;
      const x = p[v * 3]!, y = p[v * 3 + 1]!, z = p[v * 3 + 2]!;
      const wx = m[0] * x + m[4] * y + m[8] * z + m[12];
      const wy = m[1] * x + m[5] * y + m[9] * z + m[13];
      const wz = m[2] * x + m[6] * y + m[10] * z + m[14];
      if (wx < nodeMin[0]!) nodeMin[0] = wx;
      if (wx > nodeMax[0]!) nodeMax[0] = wx;
      if (wy < nodeMin[1]!) nodeMin[1] = wy;
      if (wy > nodeMax[1]!) nodeMax[1] = wy;
      if (wz < nodeMin[2]!) nodeMin[2] = wz;
      if (wz > nodeMax[2]!) nodeMax[2] = wz;
    }
  }
  // Like getBounds: a mesh with non-finite bounds (e.g. no vertices) does not count.
  if (!nodeMin.every(Number.isFinite) || !nodeMax.every(Number.isFinite)) return;
  for (let a = 0; a < 3; a++) {
    min[a] = Math.min(min[a]!, nodeMin[a]!);
    max[a] = Math.max(max[a]!, nodeMax[a]!);
  }
}

export function fastSceneBounds(scene: Scene): bbox {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const child of scene.listChildren()) child.traverse((node) => expandByNode(node, min, max));
  return { min: min as bbox['min'], max: max as bbox['max'] };
}
