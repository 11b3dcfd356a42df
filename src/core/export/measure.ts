// Figures shown before anything is written: triangles, texture sizes, and for printing whether the
// mesh is closed, how many holes it has and the volume it encloses.
import type { Document } from '@gltf-transform/core';
import { METRES_PER_UNIT, type LengthUnit, type PrintReport } from '../../shared/export-recipe';
import type { WorldMesh } from '../library/world-mesh';
import { readImageHeader } from '../library/image-header';

export interface TextureSize {
  width: number;
  height: number;
  mimeType: string;
}

export function countTriangles(doc: Document): number {
  let total = 0;
  for (const node of doc.getRoot().listNodes()) {
    for (const prim of node.getMesh()?.listPrimitives() ?? []) {
      if (prim.getMode() !== 4) continue;
      const count = prim.getIndices()?.getCount() ?? prim.getAttribute('POSITION')?.getCount() ?? 0;
      total += Math.floor(count / 3);
    }
  }
  return total;
}

export function textureSizes(doc: Document): TextureSize[] {
  return doc
    .getRoot()
    .listTextures()
    .map((texture) => {
      const image = texture.getImage();
      const header = image ? readImageHeader(image) : null;
      return { width: header?.width ?? 0, height: header?.height ?? 0, mimeType: texture.getMimeType() };
    });
}

export interface WeldedMesh {
  /** xyz per vertex, metres. */
  points: Float64Array;
  /** 3 vertex indices per triangle; triangles collapsed by the weld are dropped. */
  triangles: Uint32Array;
}

/**
 * Welds vertices by position (UV seams and split normals do not open a mesh for a printer). Positions
 * are snapped to a grid of 1e-7 of the model's size so float noise from transforms cannot split a
 * vertex; an open-addressing hash table keeps this fast on 100k-triangle models.
 */
export function weldByPosition(meshes: readonly WorldMesh[]): WeldedMesh {
  let total = 0;
  let triangleTotal = 0;
  let minX = Infinity, minY = Infinity, minZ = Infinity;
  let maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  for (const { positions, triangles } of meshes) {
    total += positions.length / 3;
    triangleTotal += triangles.length;
    for (let i = 0; i < positions.length; i += 3) {
      const x = positions[i]!, y = positions[i + 1]!, z = positions[i + 2]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (z < minZ) minZ = z;
      if (z > maxZ) maxZ = z;
    }
  }
  const extent = Math.max(maxX - minX, maxY - minY, maxZ - minZ, 1e-12);
  const inverseStep = 1 / (extent * 1e-7);
  const size = 1 << Math.ceil(Math.log2(Math.max(16, total * 2)));
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const grid = new Int32Array(total * 3);
  const points = new Float64Array(total * 3);
  const triangles = new Uint32Array(triangleTotal);
  let count = 0;
  let kept = 0;
  for (const mesh of meshes) {
    const positions = mesh.positions;
    const local = new Uint32Array(positions.length / 3);
    for (let i = 0; i < local.length; i++) {
      const x = positions[i * 3]!, y = positions[i * 3 + 1]!, z = positions[i * 3 + 2]!;
      const gx = Math.round((x - minX) * inverseStep);
      const gy = Math.round((y - minY) * inverseStep);
      const gz = Math.round((z - minZ) * inverseStep);
      let slot = (Math.imul(gx, 73856093) ^ Math.imul(gy, 19349663) ^ Math.imul(gz, 83492791)) & mask;
      for (;;) {
        const id = table[slot]!;
        if (id === -1) {
          table[slot] = count;
          grid[count * 3] = gx;
          grid[count * 3 + 1] = gy;
          grid[count * 3 + 2] = gz;
          points[count * 3] = x;
          points[count * 3 + 1] = y;
          points[count * 3 + 2] = z;
          local[i] = count++;
          break;
        }
        if (grid[id * 3] === gx && grid[id * 3 + 1] === gy && grid[id * 3 + 2] === gz) {
          local[i] = id;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    const source = mesh.triangles;
    for (let t = 0; t < source.length; t += 3) {
      const a = local[source[t]!]!, b = local[source[t + 1]!]!, c = local[source[t + 2]!]!;
      if (a === b || b === c || a === c) continue;
      triangles[kept++] = a;
      triangles[kept++] = b;
      triangles[kept++] = c;
    }
  }
  return { points: points.slice(0, count * 3), triangles: triangles.slice(0, kept) };
}

/**
 * Counts each edge's triangles (sorted edge keys, no hash map): an edge used once is a border, more
 * than twice is non-manifold. Border edges grouped into connected loops are the holes.
 */
export function printReport({ points, triangles }: WeldedMesh, unit: LengthUnit): PrintReport {
  const vertexCount = points.length / 3;
  const keys = new Float64Array(triangles.length);
  let volume = 0;
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!, b = triangles[t + 1]!, c = triangles[t + 2]!;
    keys[t] = a < b ? a * vertexCount + b : b * vertexCount + a;
    keys[t + 1] = b < c ? b * vertexCount + c : c * vertexCount + b;
    keys[t + 2] = c < a ? c * vertexCount + a : a * vertexCount + c;
    // Signed volume of the tetrahedron (origin, a, b, c); the sum is the enclosed volume when closed.
    const ax = points[a * 3]!, ay = points[a * 3 + 1]!, az = points[a * 3 + 2]!;
    const bx = points[b * 3]!, by = points[b * 3 + 1]!, bz = points[b * 3 + 2]!;
    const cx = points[c * 3]!, cy = points[c * 3 + 1]!, cz = points[c * 3 + 2]!;
    volume += (ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx)) / 6;
  }
  keys.sort();

  const parent = new Map<number, number>();
  const find = (v: number): number => {
    let root = v;
    while (parent.get(root)! !== root) root = parent.get(root)!;
    parent.set(v, root);
    return root;
  };
  let nonManifoldEdges = 0;
  let borderEdges = 0;
  for (let i = 0; i < keys.length; ) {
    let j = i + 1;
    while (j < keys.length && keys[j] === keys[i]) j++;
    const uses = j - i;
    if (uses > 2) nonManifoldEdges++;
    if (uses === 1) {
      borderEdges++;
      const a = Math.floor(keys[i]! / vertexCount), b = keys[i]! % vertexCount;
      if (!parent.has(a)) parent.set(a, a);
      if (!parent.has(b)) parent.set(b, b);
      const ra = find(a), rb = find(b);
      if (ra !== rb) parent.set(ra, rb);
    }
    i = j;
  }
  const holes = new Set([...parent.keys()].map(find)).size;

  const toUnit = 1 / METRES_PER_UNIT[unit];
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < points.length; i++) {
    min[i % 3] = Math.min(min[i % 3]!, points[i]!);
    max[i % 3] = Math.max(max[i % 3]!, points[i]!);
  }
  const size = min.map((v, i) => (Number.isFinite(v) ? (max[i]! - v) * toUnit : 0)) as [number, number, number];
  return {
    closed: borderEdges === 0 && triangles.length > 0,
    holes,
    nonManifoldEdges,
    volume: Math.abs(volume) * toUnit ** 3,
    unit,
    size,
  };
}
