// Finds the subject's outline on the small grid: from alpha when the image really uses it, else by
// flooding in from the border over pixels close to the border's typical colour.
import { cleanMask } from './mask-cleanup';
import type { CellMask, RgbaImage } from './types';

export const ALPHA_CUTOFF = 128;
/** Alpha counts as meaningful when at least this share of cells is transparent and of opaque. */
const MIN_ALPHA_SHARE = 0.01;
/** Below / above these shares of the grid the outline is not trusted and the whole image is used. */
const MIN_SUBJECT_SHARE = 0.01;
const MAX_SUBJECT_SHARE = 0.995;
/** A plain backdrop: the border's median distance from its median colour (0..441) stays below this... */
const MAX_TYPICAL_BORDER_DEVIATION = 20;
/** ...and at least this share of border cells lies within the tolerance. */
const MIN_UNIFORM_BORDER_SHARE = 0.6;

export function alphaIsMeaningful(grid: RgbaImage): boolean {
  const total = grid.width * grid.height;
  let transparent = 0;
  for (let i = 0; i < total; i++) if (grid.data[i * 4 + 3]! < ALPHA_CUTOFF) transparent++;
  const minCells = Math.max(1, total * MIN_ALPHA_SHARE);
  return transparent >= minCells && total - transparent >= minCells;
}

export function computeMask(grid: RgbaImage): CellMask {
  const { width, height } = grid;
  const total = width * height;
  let raw: Uint8Array | null;
  let source: CellMask['source'];
  let backdrop: CellMask['backdrop'];
  if (alphaIsMeaningful(grid)) {
    raw = maskFromAlpha(grid);
    source = 'alpha';
  } else {
    const flooded = maskFromBackground(grid);
    raw = flooded?.cells ?? null;
    backdrop = flooded?.backdrop;
    source = 'background';
  }
  if (raw) {
    const cells = cleanMask(raw, width, height);
    const count = cells.reduce((sum, cell) => sum + cell, 0);
    if (count >= Math.max(1, total * MIN_SUBJECT_SHARE) && count <= total * MAX_SUBJECT_SHARE) {
      return backdrop ? { width, height, cells, source, backdrop } : { width, height, cells, source };
    }
  }
  return { width, height, cells: new Uint8Array(total).fill(1), source: 'full-image' };
}

function maskFromAlpha(grid: RgbaImage): Uint8Array {
  const cells = new Uint8Array(grid.width * grid.height);
  for (let i = 0; i < cells.length; i++) cells[i] = grid.data[i * 4 + 3]! >= ALPHA_CUTOFF ? 1 : 0;
  return cells;
}

/** Null when the border is not a plain backdrop (a full scene), so no outline can be guessed. */
function maskFromBackground(grid: RgbaImage): { cells: Uint8Array; backdrop: NonNullable<CellMask['backdrop']> } | null {
  const { width, height, data } = grid;
  const border = borderIndices(width, height);
  const background = medianColour(data, border);
  const distances = border.map((i) => colourDistance(data, i, background)).sort((a, b) => a - b);
  const typical = distances[Math.floor(distances.length / 2)] ?? 0;
  if (typical > MAX_TYPICAL_BORDER_DEVIATION) return null;
  // Tolerance grows with the backdrop's own noise (JPEG, vignetting) but stays well below "another object".
  const tolerance = Math.min(48, Math.max(20, 2 * typical + 18));
  const close = distances.filter((d) => d <= tolerance).length;
  if (close < border.length * MIN_UNIFORM_BORDER_SHARE) return null;

  const cells = new Uint8Array(width * height).fill(1);
  const stack: number[] = [];
  for (const i of border) {
    if (cells[i] === 1 && colourDistance(data, i, background) <= tolerance) {
      cells[i] = 0;
      stack.push(i);
    }
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    const y = (i - x) / width;
    const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1];
    for (const n of neighbours) {
      if (n >= 0 && cells[n] === 1 && colourDistance(data, n, background) <= tolerance) {
        cells[n] = 0;
        stack.push(n);
      }
    }
  }
  return { cells, backdrop: { colour: background, tolerance } };
}

function borderIndices(width: number, height: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) out.push(y * width + x);
    }
  }
  return out;
}

function medianColour(data: Uint8Array, indices: number[]): [number, number, number] {
  const channel = (c: number) => {
    const values = indices.map((i) => data[i * 4 + c]!).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  };
  return [channel(0), channel(1), channel(2)];
}

function colourDistance(data: Uint8Array, cell: number, colour: [number, number, number]): number {
  const dr = data[cell * 4]! - colour[0];
  const dg = data[cell * 4 + 1]! - colour[1];
  const db = data[cell * 4 + 2]! - colour[2];
  return Math.sqrt(dr * dr + dg * dg + db * db);
}
