// Placement: real-world size, up axis and pivot, baked into the vertex data so every tool (Blender,
// engines, slicers) sees the same thing whether or not it honours node transforms.
import { Node, type Document, type bbox } from '@gltf-transform/core';
import { clearNodeTransform, flatten, transformMesh } from '@gltf-transform/functions';
import { METRES_PER_UNIT, type ExportRecipe } from '../../shared/export-recipe';
import { fastSceneBounds } from './bounds';

type Mat4 = [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** Column-major, like glTF. */
const scaleMatrix = (s: number): Mat4 => [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, 0, 0, 0, 1];
const translationMatrix = (x: number, y: number, z: number): Mat4 => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, x, y, z, 1];
/** +90 degrees about X: Y up becomes Z up, (x, y, z) -> (x, -z, y). */
const Y_UP_TO_Z_UP: Mat4 = [1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1];

function meshNodes(doc: Document): Node[] {
  return doc.getRoot().listNodes().filter((node) => node.getMesh());
}

export function sceneBounds(doc: Document): bbox {
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  if (!scene) throw new Error('Cannot export: the model has no scene');
  return fastSceneBounds(scene);
}

function applyToAll(doc: Document, matrix: Mat4) {
  // Each mesh once, even when several nodes share it (after flatten they all carry identity).
  const seen = new Set<unknown>();
  for (const node of meshNodes(doc)) {
    const mesh = node.getMesh()!;
    if (seen.has(mesh)) continue;
    seen.add(mesh);
    transformMesh(mesh, matrix);
  }
}

/** Bakes every node transform into its mesh, so the scene's geometry is in world space. */
async function bakeWorldTransforms(doc: Document) {
  await doc.transform(flatten());
  for (const node of meshNodes(doc)) {
    const mesh = node.getMesh()!;
    // A mesh instanced by several nodes gets a copy per node, or it would be moved once per node.
    if (mesh.listParents().filter((p) => p instanceof Node).length > 1) node.setMesh(mesh.clone());
    clearNodeTransform(node);
  }
}

/** Factor that makes the asked dimension (measured Y up) the asked real length in metres. */
export function scaleFor(box: bbox, realSize: ExportRecipe['realSize']): number {
  if (!realSize) return 1;
  const size = box.max.map((v, i) => v - box.min[i]!);
  const current = realSize.dimension === 'height' ? size[1]! : Math.max(...size);
  if (!(current > 0)) throw new Error('Cannot scale: the model has no extent along that dimension');
  return (realSize.value * METRES_PER_UNIT[realSize.unit]) / current;
}

/**
 * Scale, turn to the asked up axis, then move the pivot to the origin: one matrix, applied once. A
 * uniform scale and a quarter turn map the bounding box exactly, so the pivot is known in advance.
 */
export async function placeModel(doc: Document, recipe: Pick<ExportRecipe, 'realSize' | 'upAxis' | 'pivot'>): Promise<void> {
  if (recipe.realSize === null && recipe.upAxis === 'y' && recipe.pivot === 'original') return;
  await bakeWorldTransforms(doc);
  const box = sceneBounds(doc);
  const s = scaleFor(box, recipe.realSize);
  const min = box.min.map((v) => v * s);
  const max = box.max.map((v) => v * s);
  // Pivot in the scaled, still Y-up frame; the base is the lowest point along Y.
  const pivot =
    recipe.pivot === 'original' ? [0, 0, 0] : min.map((v, i) => (i === 1 && recipe.pivot === 'base' ? v : (v + max[i]!) / 2));
  const moved = multiply(translationMatrix(-pivot[0]!, -pivot[1]!, -pivot[2]!), scaleMatrix(s));
  applyToAll(doc, recipe.upAxis === 'z' ? multiply(Y_UP_TO_Z_UP, moved) : moved);
}

/** a * b for column-major 4x4 matrices. */
function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Array<number>(16).fill(0) as Mat4;
  for (let col = 0; col < 4; col++) {
    for (let row = 0; row < 4; row++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += a[k * 4 + row]! * b[col * 4 + k]!;
      out[col * 4 + row] = sum;
    }
  }
  return out;
}

/** -90 degrees about X: a Z-up model shown upright in a Y-up viewer (the preview). */
export function zUpToYUp(doc: Document): void {
  applyToAll(doc, [1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
}
