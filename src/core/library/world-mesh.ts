// A document's meshes baked into world space (node transforms applied) from the default scene, as
// plain triangle lists: what the STL/OBJ writers and the export measures read. Points and lines are
// skipped; skins and morph targets are taken in their rest pose.
import type { Document, Material, Mesh, Node, Primitive } from '@gltf-transform/core';

/** One primitive baked into world space, as a plain triangle list. */
export interface WorldMesh {
  name: string;
  material: Material | null;
  positions: Float64Array; // xyz per vertex, world space
  normals: Float32Array | null; // xyz per vertex, world space, unit length
  uvs: Float32Array | null; // uv per vertex, glTF convention (v down)
  triangles: Uint32Array; // 3 vertex indices per triangle, counter-clockwise in world space
}

// Each node showing a mesh gets its own baked copy, so a file can ask for far more than it holds: a
// 3 MB mesh shown by 100 nodes baked to 1.2 GB (1,000 nodes: 12 GB) before a writer made its output.
// A bake this large and this far beyond the data it reads is refused before anything is allocated.
const MAX_BAKED_BYTES = 1024 * 1024 * 1024;
const MAX_BAKED_PER_HELD_BYTE = 8;

export function collectWorldMeshes(doc: Document): WorldMesh[] {
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const roots = scene ? scene.listChildren() : root.listNodes().filter((n) => !n.getParentNode());
  const shown: { node: Node; mesh: Mesh }[] = [];
  const visit = (node: Node) => {
    const mesh = node.getMesh();
    if (mesh) shown.push({ node, mesh });
    for (const child of node.listChildren()) visit(child);
  };
  for (const node of roots) visit(node);
  const tooLarge = bakeSizeProblem(doc, shown);
  if (tooLarge) throw new Error(tooLarge);
  const out: WorldMesh[] = [];
  for (const { node, mesh } of shown) {
    const matrix = node.getWorldMatrix();
    const name = node.getName() || mesh.getName() || `mesh${out.length}`;
    for (const primitive of mesh.listPrimitives()) {
      const baked = bakePrimitive(primitive, matrix, name);
      if (baked) out.push(baked);
    }
  }
  return out;
}

/** A reason when baking every shown mesh would take gigabytes, far more than the file's own geometry. */
function bakeSizeProblem(doc: Document, shown: readonly { mesh: Mesh }[]): string | null {
  let baked = 0;
  for (const { mesh } of shown) {
    for (const primitive of mesh.listPrimitives()) {
      const position = primitive.getAttribute('POSITION');
      if (!position) continue;
      const vertices = position.getCount();
      const perVertex = 24 + (primitive.getAttribute('NORMAL') ? 12 : 0) + (primitive.getAttribute('TEXCOORD_0') ? 8 : 0);
      baked += vertices * perVertex + (primitive.getIndices()?.getCount() ?? vertices) * 4;
    }
  }
  const held = doc.getRoot().listAccessors().reduce((sum, accessor) => sum + (accessor.getArray()?.byteLength ?? 0), 0);
  if (baked <= MAX_BAKED_BYTES || baked <= held * MAX_BAKED_PER_HELD_BYTE) return null;
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024).toLocaleString('en');
  return `The model shows its meshes ${shown.length.toLocaleString('en')} times over; flattened for this format it would take ${mb(baked)} MB of memory for ${mb(held)} MB of geometry in the file (at most ${mb(MAX_BAKED_BYTES)} MB)`;
}

function bakePrimitive(primitive: Primitive, m: readonly number[], name: string): WorldMesh | null {
  const position = primitive.getAttribute('POSITION');
  if (!position) return null;
  const triangles = triangleIndices(primitive, position.getCount());
  if (!triangles) return null;

  const count = position.getCount();
  const positions = new Float64Array(count * 3);
  const p: number[] = [];
  for (let i = 0; i < count; i++) {
    position.getElement(i, p);
    const [x = 0, y = 0, z = 0] = p;
    positions[i * 3] = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    positions[i * 3 + 1] = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    positions[i * 3 + 2] = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
  }

  // A mirroring transform (negative determinant) turns faces inside out; swap winding to undo it.
  const det =
    m[0]! * (m[5]! * m[10]! - m[9]! * m[6]!) -
    m[4]! * (m[1]! * m[10]! - m[9]! * m[2]!) +
    m[8]! * (m[1]! * m[6]! - m[5]! * m[2]!);
  if (det < 0) {
    for (let t = 0; t < triangles.length; t += 3) {
      const b = triangles[t + 1]!;
      triangles[t + 1] = triangles[t + 2]!;
      triangles[t + 2] = b;
    }
  }

  return {
    name,
    material: primitive.getMaterial(),
    positions,
    normals: bakeNormals(primitive, m, det),
    uvs: readUvs(primitive),
    triangles,
  };
}

/** Triangle list for TRIANGLES / TRIANGLE_STRIP / TRIANGLE_FAN; null for points and lines. */
function triangleIndices(primitive: Primitive, vertexCount: number): Uint32Array | null {
  const indexAccessor = primitive.getIndices();
  const n = indexAccessor ? indexAccessor.getCount() : vertexCount;
  const at = (i: number) => (indexAccessor ? indexAccessor.getScalar(i) : i);
  const mode = primitive.getMode();
  if (mode === 4) {
    const out = new Uint32Array(Math.floor(n / 3) * 3);
    for (let i = 0; i < out.length; i++) out[i] = at(i);
    return out;
  }
  if (mode === 5 || mode === 6) {
    const count = Math.max(0, n - 2);
    const out = new Uint32Array(count * 3);
    for (let i = 0; i < count; i++) {
      if (mode === 5) {
        // glTF strip order: even triangles (i, i+1, i+2), odd ones (i+1, i, i+2) keep the winding.
        const odd = i % 2;
        out.set([at(i + odd), at(i + 1 - odd), at(i + 2)], i * 3);
      } else {
        out.set([at(i + 1), at(i + 2), at(0)], i * 3);
      }
    }
    return out;
  }
  return null;
}

function bakeNormals(primitive: Primitive, m: readonly number[], det: number): Float32Array | null {
  const normal = primitive.getAttribute('NORMAL');
  if (!normal || det === 0) return null;
  // Normal matrix: inverse transpose of the upper 3x3 = cofactor matrix / determinant.
  const c = [
    (m[5]! * m[10]! - m[6]! * m[9]!) / det,
    (m[6]! * m[8]! - m[4]! * m[10]!) / det,
    (m[4]! * m[9]! - m[5]! * m[8]!) / det,
    (m[2]! * m[9]! - m[1]! * m[10]!) / det,
    (m[0]! * m[10]! - m[2]! * m[8]!) / det,
    (m[1]! * m[8]! - m[0]! * m[9]!) / det,
    (m[1]! * m[6]! - m[2]! * m[5]!) / det,
    (m[2]! * m[4]! - m[0]! * m[6]!) / det,
    (m[0]! * m[5]! - m[1]! * m[4]!) / det,
  ];
  const count = normal.getCount();
  const out = new Float32Array(count * 3);
  const v: number[] = [];
  for (let i = 0; i < count; i++) {
    normal.getElement(i, v);
    const [x = 0, y = 0, z = 0] = v;
    // c is that matrix stored column-major, like m.
    const nx = c[0]! * x + c[3]! * y + c[6]! * z;
    const ny = c[1]! * x + c[4]! * y + c[7]! * z;
    const nz = c[2]! * x + c[5]! * y + c[8]! * z;
    const len = Math.hypot(nx, ny, nz) || 1;
    out.set([nx / len, ny / len, nz / len], i * 3);
  }
  return out;
}

function readUvs(primitive: Primitive): Float32Array | null {
  const uv = primitive.getAttribute('TEXCOORD_0');
  if (!uv) return null;
  const count = uv.getCount();
  const out = new Float32Array(count * 2);
  const v: number[] = [];
  for (let i = 0; i < count; i++) {
    uv.getElement(i, v);
    out[i * 2] = v[0] ?? 0;
    out[i * 2 + 1] = v[1] ?? 0;
  }
  return out;
}
