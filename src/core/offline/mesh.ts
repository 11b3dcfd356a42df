// Turns the cell mask and heights into a closed mesh: a textured front heightfield, a flat back and
// walls along the outline. Grid corners are shared by all three, so the result is watertight.
import type { CellMask } from './types';

export interface MeshPart {
  positions: Float32Array;
  normals: Float32Array;
  indices: Uint32Array;
}

export interface ReliefMesh {
  /** Photo side, with UVs that map straight onto the (whole) image. */
  front: MeshPart & { uvs: Float32Array };
  /** Flat back and side walls, untextured. */
  shell: MeshPart;
}

export interface MeshShape {
  /** Real image size (any unit), so cells keep the photo's aspect ratio. */
  imageWidth: number;
  imageHeight: number;
  /** Relief depth as a share of the subject's width. */
  depthScale: number;
}

/** Back plate thickness in model units (the model is 1 unit tall); keeps front and back apart at the outline. */
const BASE_THICKNESS = 0.02;

export function buildReliefMesh(mask: CellMask, heights: Float32Array, shape: MeshShape): ReliefMesh {
  const { width: w, height: h, cells } = mask;
  const vw = w + 1;
  const vertexCount = vw * (h + 1);
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && cells[y * w + x] === 1;

  // Which grid corners are used and which lie on the outline.
  const used = new Uint8Array(vertexCount);
  const onOutline = new Uint8Array(vertexCount);
  const lift = new Float32Array(vertexCount); // 0..1 relief height per corner
  for (let j = 0; j <= h; j++) {
    for (let i = 0; i <= w; i++) {
      const around = [inside(i - 1, j - 1), inside(i, j - 1), inside(i - 1, j), inside(i, j)];
      const count = around.filter(Boolean).length;
      const v = j * vw + i;
      if (count === 0) continue;
      used[v] = 1;
      if (count < 4) {
        onOutline[v] = 1; // the relief meets the wall at zero height
      } else {
        lift[v] = (heights[(j - 1) * w + i - 1]! + heights[(j - 1) * w + i]! + heights[j * w + i - 1]! + heights[j * w + i]!) / 4;
      }
    }
  }

  const outline = outlineEdges(inside, w, h, vw);

  // Corner positions in cell units, then the outline's staircase is softened along itself.
  const px = new Float64Array(vertexCount);
  const py = new Float64Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) {
    px[v] = v % vw;
    py[v] = Math.floor(v / vw);
  }
  smoothOutline(px, py, outline);

  // World frame: Y up, 1 unit tall, standing on y = 0, centred on X; Z centred after depth is known.
  const sx = shape.imageWidth / w;
  const sy = shape.imageHeight / h;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let v = 0; v < vertexCount; v++) {
    if (!used[v]) continue;
    minX = Math.min(minX, px[v]! * sx);
    maxX = Math.max(maxX, px[v]! * sx);
    minY = Math.min(minY, py[v]! * sy);
    maxY = Math.max(maxY, py[v]! * sy);
  }
  const unit = 1 / (maxY - minY);
  const centreX = (minX + maxX) / 2;
  const wx = new Float64Array(vertexCount);
  const wy = new Float64Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) {
    wx[v] = (px[v]! * sx - centreX) * unit;
    wy[v] = (maxY - py[v]! * sy) * unit;
  }
  const depth = shape.depthScale * (maxX - minX) * unit;
  let frontMaxZ = BASE_THICKNESS;
  for (let v = 0; v < vertexCount; v++) if (used[v]) frontMaxZ = Math.max(frontMaxZ, BASE_THICKNESS + lift[v]! * depth);
  const centreZ = frontMaxZ / 2;
  const frontZ = (v: number) => BASE_THICKNESS + lift[v]! * depth - centreZ;
  const backZ = -centreZ;

  const front = buildFront(cells, w, h, vw, used, px, py, wx, wy, frontZ);
  insetOutlineUvs(front.uvs, inside, onOutline, used, w, h, vw);
  const shell = buildShell(cells, w, h, vw, used, wx, wy, frontZ, backZ, outline);
  return { front, shell };
}

/**
 * Edge cells are part subject, part backdrop (or transparent, often black). Pulling the outline's UVs half a
 * cell towards the subject keeps that fringe off the model. The image frame does not count as backdrop.
 */
function insetOutlineUvs(
  uvs: Float32Array, inside: (x: number, y: number) => boolean, onOutline: Uint8Array, used: Uint8Array,
  w: number, h: number, vw: number,
): void {
  let k = -1;
  for (let v = 0; v < used.length; v++) {
    if (!used[v]) continue;
    k++;
    if (!onOutline[v]) continue;
    const i = v % vw;
    const j = (v - i) / vw;
    let dx = 0;
    let dy = 0;
    for (const [cx, cy] of [[i - 1, j - 1], [i, j - 1], [i - 1, j], [i, j]] as const) {
      if (cx < 0 || cy < 0 || cx >= w || cy >= h) continue;
      const sign = inside(cx, cy) ? 1 : -1;
      dx += sign * (cx + 0.5 - i);
      dy += sign * (cy + 0.5 - j);
    }
    const length = Math.hypot(dx, dy);
    if (length === 0) continue;
    uvs[k * 2] = clamp01(uvs[k * 2]! + (0.5 * dx) / length / w);
    uvs[k * 2 + 1] = clamp01(uvs[k * 2 + 1]! + (0.5 * dy) / length / h);
  }
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Outline edges directed counter-clockwise around the subject as seen from the front (subject on the left). */
function outlineEdges(inside: (x: number, y: number) => boolean, w: number, h: number, vw: number): Array<[number, number]> {
  const edges: Array<[number, number]> = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!inside(x, y)) continue;
      const tl = y * vw + x, tr = tl + 1, bl = tl + vw, br = bl + 1;
      if (!inside(x, y + 1)) edges.push([bl, br]);
      if (!inside(x + 1, y)) edges.push([br, tr]);
      if (!inside(x, y - 1)) edges.push([tr, tl]);
      if (!inside(x - 1, y)) edges.push([tl, bl]);
    }
  }
  return edges;
}

/** One pass of neighbour averaging along the outline: turns 1-cell stairs into slopes, moves points < 0.5 cell. */
function smoothOutline(px: Float64Array, py: Float64Array, outline: Array<[number, number]>): void {
  const sumX = new Map<number, number>();
  const sumY = new Map<number, number>();
  const count = new Map<number, number>();
  for (const [a, b] of outline) {
    for (const [v, n] of [[a, b], [b, a]] as const) {
      sumX.set(v, (sumX.get(v) ?? 0) + px[n]!);
      sumY.set(v, (sumY.get(v) ?? 0) + py[n]!);
      count.set(v, (count.get(v) ?? 0) + 1);
    }
  }
  const moved: Array<[number, number, number]> = [];
  for (const [v, n] of count) {
    if (n !== 2) continue;
    moved.push([v, 0.5 * px[v]! + 0.25 * sumX.get(v)!, 0.5 * py[v]! + 0.25 * sumY.get(v)!]);
  }
  for (const [v, x, y] of moved) {
    px[v] = x;
    py[v] = y;
  }
}

function buildFront(
  cells: Uint8Array, w: number, h: number, vw: number, used: Uint8Array,
  px: Float64Array, py: Float64Array, wx: Float64Array, wy: Float64Array, frontZ: (v: number) => number,
): MeshPart & { uvs: Float32Array } {
  const remap = new Int32Array(used.length).fill(-1);
  let n = 0;
  for (let v = 0; v < used.length; v++) if (used[v]) remap[v] = n++;
  const positions = new Float32Array(n * 3);
  const uvs = new Float32Array(n * 2);
  for (let v = 0; v < used.length; v++) {
    const k = remap[v]!;
    if (k < 0) continue;
    positions.set([wx[v]!, wy[v]!, frontZ(v)], k * 3);
    uvs.set([px[v]! / w, py[v]! / h], k * 2);
  }
  const indices: number[] = [];
  forEachCell(cells, w, h, vw, (tl, tr, bl, br) => {
    indices.push(remap[bl]!, remap[br]!, remap[tr]!, remap[bl]!, remap[tr]!, remap[tl]!);
  });
  const index = Uint32Array.from(indices);
  return { positions, uvs, indices: index, normals: smoothNormals(positions, index) };
}

function buildShell(
  cells: Uint8Array, w: number, h: number, vw: number, used: Uint8Array,
  wx: Float64Array, wy: Float64Array, frontZ: (v: number) => number, backZ: number, outline: Array<[number, number]>,
): MeshPart {
  const positions: number[] = [];
  const normals: number[] = [];
  const indices: number[] = [];
  const addVertex = (x: number, y: number, z: number, nx: number, ny: number, nz: number) => {
    positions.push(x, y, z);
    normals.push(nx, ny, nz);
    return positions.length / 3 - 1;
  };

  // Flat back, wound to face -Z.
  const back = new Int32Array(used.length).fill(-1);
  for (let v = 0; v < used.length; v++) if (used[v]) back[v] = addVertex(wx[v]!, wy[v]!, backZ, 0, 0, -1);
  forEachCell(cells, w, h, vw, (tl, tr, bl, br) => {
    indices.push(back[bl]!, back[tr]!, back[br]!, back[bl]!, back[tl]!, back[tr]!);
  });

  // Walls: one front-rim and one back-rim vertex per outline corner, normal averaged over its two edges.
  const outward = new Map<number, [number, number]>();
  for (const [a, b] of outline) {
    const dx = wx[b]! - wx[a]!, dy = wy[b]! - wy[a]!;
    const length = Math.hypot(dx, dy) || 1;
    for (const v of [a, b]) {
      const sum = outward.get(v) ?? [0, 0];
      outward.set(v, [sum[0] + dy / length, sum[1] - dx / length]);
    }
  }
  const rimFront = new Map<number, number>();
  const rimBack = new Map<number, number>();
  for (const [v, [nx, ny]] of outward) {
    const length = Math.hypot(nx, ny) || 1;
    rimFront.set(v, addVertex(wx[v]!, wy[v]!, frontZ(v), nx / length, ny / length, 0));
    rimBack.set(v, addVertex(wx[v]!, wy[v]!, backZ, nx / length, ny / length, 0));
  }
  for (const [a, b] of outline) {
    const aF = rimFront.get(a)!, bF = rimFront.get(b)!, aB = rimBack.get(a)!, bB = rimBack.get(b)!;
    // Runs each outline edge opposite to the front and back faces, so every edge pairs up.
    indices.push(bF, aF, aB, bF, aB, bB);
  }
  return { positions: Float32Array.from(positions), normals: Float32Array.from(normals), indices: Uint32Array.from(indices) };
}

function forEachCell(
  cells: Uint8Array, w: number, h: number, vw: number,
  visit: (tl: number, tr: number, bl: number, br: number) => void,
): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!cells[y * w + x]) continue;
      const tl = y * vw + x;
      visit(tl, tl + 1, tl + vw, tl + vw + 1);
    }
  }
}

/** Area-weighted vertex normals. */
function smoothNormals(positions: Float32Array, indices: Uint32Array): Float32Array {
  const normals = new Float32Array(positions.length);
  for (let t = 0; t < indices.length; t += 3) {
    const a = indices[t]! * 3, b = indices[t + 1]! * 3, c = indices[t + 2]! * 3;
    const ux = positions[b]! - positions[a]!, uy = positions[b + 1]! - positions[a + 1]!, uz = positions[b + 2]! - positions[a + 2]!;
    const vx = positions[c]! - positions[a]!, vy = positions[c + 1]! - positions[a + 1]!, vz = positions[c + 2]! - positions[a + 2]!;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    for (const k of [a, b, c]) {
      normals[k] = normals[k]! + nx;
      normals[k + 1] = normals[k + 1]! + ny;
      normals[k + 2] = normals[k + 2]! + nz;
    }
  }
  for (let k = 0; k < normals.length; k += 3) {
    const length = Math.hypot(normals[k]!, normals[k + 1]!, normals[k + 2]!);
    if (length > 0) {
      normals[k] = normals[k]! / length;
      normals[k + 1] = normals[k + 1]! / length;
      normals[k + 2] = normals[k + 2]! / length;
    } else {
      normals.set([0, 0, 1], k);
    }
  }
  return normals;
}
