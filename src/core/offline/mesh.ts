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

  // Corner positions in cell units, then the outline's staircase is smoothed along itself.
  const px = new Float64Array(vertexCount);
  const py = new Float64Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) {
    px[v] = v % vw;
    py[v] = Math.floor(v / vw);
  }
  smoothOutline(px, py, outline, inside, vw);

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

/**
 * Passes of neighbour averaging along the outline: together about a Gaussian of sqrt(passes / 2) points,
 * enough to take the steps out of shallow slopes (a run of 8 cells keeps under a tenth of its step).
 * One pass, as before, left every slope but 45 degrees a sawtooth.
 */
const OUTLINE_PASSES = 32;
/** How far (cells) an outline point may leave its grid corner: the real edge lies within the corner's cells. */
const OUTLINE_REACH = 0.75;
/** Smallest area (cells; half a cell has 0.5) a front triangle keeps when its outline corners move: never folded over. */
const MIN_TRIANGLE_AREA = 0.005;

/**
 * Moves the outline's corners onto a smooth curve through its staircase. Points where the outline
 * touches itself stay put; no point goes further than OUTLINE_REACH, and none so far that a front cell
 * next to it would fold over (the back and walls share these corners, so they stay closed too).
 */
function smoothOutline(px: Float64Array, py: Float64Array, outline: Array<[number, number]>, inside: (x: number, y: number) => boolean, vw: number): void {
  const around = new Map<number, number[]>();
  for (const [a, b] of outline) {
    around.set(a, [...(around.get(a) ?? []), b]);
    around.set(b, [...(around.get(b) ?? []), a]);
  }
  const movable = [...around].filter(([, n]) => n.length === 2).map(([v, n]) => [v, n[0]!, n[1]!] as const);
  const x = Float64Array.from(px);
  const y = Float64Array.from(py);
  for (let pass = 0; pass < OUTLINE_PASSES; pass++) {
    const next = movable.map(([v, a, b]) => [0.5 * x[v]! + 0.25 * (x[a]! + x[b]!), 0.5 * y[v]! + 0.25 * (y[a]! + y[b]!)] as const);
    movable.forEach(([v], k) => {
      x[v] = next[k]![0];
      y[v] = next[k]![1];
    });
  }
  for (const [v] of movable) {
    let dx = x[v]! - px[v]!;
    let dy = y[v]! - py[v]!;
    const length = Math.hypot(dx, dy);
    if (length > OUTLINE_REACH) {
      dx *= OUTLINE_REACH / length;
      dy *= OUTLINE_REACH / length;
    }
    // The furthest share of the move (to 1/64) that keeps the cells around this corner unfolded, with
    // their other corners where they are now: a cell the curve cuts across keeps a thin sliver.
    const fromX = px[v]!, fromY = py[v]!;
    const moveTo = (share: number) => {
      px[v] = fromX + dx * share;
      py[v] = fromY + dy * share;
      return cornerCellsUnfolded(v, px, py, inside, vw);
    };
    if (moveTo(1)) continue;
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 6; k++) {
      const mid = (lo + hi) / 2;
      if (moveTo(mid)) lo = mid;
      else hi = mid;
    }
    moveTo(lo);
  }
}

/** Whether every front triangle of the subject cells at corner v keeps at least MIN_TRIANGLE_AREA. */
function cornerCellsUnfolded(v: number, px: Float64Array, py: Float64Array, inside: (x: number, y: number) => boolean, vw: number): boolean {
  const i = v % vw;
  const j = (v - i) / vw;
  // Positive for the front's triangles as built (y grows downwards here).
  const area = (a: number, b: number, c: number) => -((px[b]! - px[a]!) * (py[c]! - py[a]!) - (py[b]! - py[a]!) * (px[c]! - px[a]!)) / 2;
  for (const [cx, cy] of [[i - 1, j - 1], [i, j - 1], [i - 1, j], [i, j]] as const) {
    if (!inside(cx, cy)) continue;
    for (const [a, b, c] of cellTriangles(inside, cx, cy, vw)) if (area(a, b, c) < MIN_TRIANGLE_AREA) return false;
  }
  return true;
}

/**
 * A subject cell's two front triangles (counter-clockwise seen from the front). They meet on the
 * bottom-left to top-right diagonal, unless the outline turns round the cell's top-left or bottom-right
 * corner: then on the other one, so the smoothed outline cutting that corner off leaves two triangles
 * that each keep an inner corner, instead of one made of three outline points that would fold.
 */
function cellTriangles(inside: (x: number, y: number) => boolean, x: number, y: number, vw: number): [Triangle, Triangle] {
  const tl = y * vw + x, tr = tl + 1, bl = tl + vw, br = bl + 1;
  const left = !inside(x - 1, y), right = !inside(x + 1, y), up = !inside(x, y - 1), down = !inside(x, y + 1);
  const turnsAtMain = (left && up) || (right && down);
  const turnsAtOther = (right && up) || (left && down);
  return turnsAtMain && !turnsAtOther ? [[tl, bl, br], [tl, br, tr]] : [[bl, br, tr], [bl, tr, tl]];
}

type Triangle = [number, number, number];

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
  forEachCell(cells, w, h, vw, ([a, b, c]) => {
    indices.push(remap[a]!, remap[b]!, remap[c]!);
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
  forEachCell(cells, w, h, vw, ([a, b, c]) => {
    indices.push(back[a]!, back[c]!, back[b]!);
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

/** Every front triangle of the subject's cells, row by row. */
function forEachCell(cells: Uint8Array, w: number, h: number, vw: number, visit: (triangle: Triangle) => void): void {
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && cells[y * w + x] === 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!cells[y * w + x]) continue;
      for (const triangle of cellTriangles(inside, x, y, vw)) visit(triangle);
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
