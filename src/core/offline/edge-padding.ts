// "Edge padding" for the front texture: the subject's own colours are carried out over the backdrop
// texels around its outline. The mesh edge follows the coarse cell grid, so its UVs reach a little past
// the subject, and bilinear filtering and mipmaps blend in texels beyond that; without padding those
// are backdrop (white, or black where alpha was transparent) and show as a pale fringe along the outline.
import { ALPHA_CUTOFF } from './mask';
import type { CellMask, RgbaImage } from './types';

/** How far (texels) the padding reaches past the subject: bilinear filtering plus the first few mip levels. */
const PAD_TEXELS = 16;
/** In cells along the outline, a texel this close to the backdrop (times the outline's tolerance) is backdrop. */
const EDGE_TOLERANCE_FACTOR = 2;
const MAX_EDGE_TOLERANCE = 96;
/** Anti-aliased texels mix subject and backdrop; this many texels next to the backdrop are redrawn too, not copied outwards. */
const BLEND_TEXELS = 2;
/** How many cells in from the outline texels may be backdrop showing through. */
const OUTLINE_CELLS = 2;

/** A copy of the photo with backdrop texels near the subject recoloured from it; alpha is left as it was. */
export function padBackground(photo: RgbaImage, mask: CellMask): RgbaImage {
  if (mask.source === 'full-image') return photo;
  const background = backgroundTexels(photo, mask);
  return { ...photo, data: dilateInto(photo, background) };
}

/**
 * 1 per texel to redraw: backdrop (outside the outline's cells, backdrop-coloured in a cell on the outline, or
 * transparent) and the blended texels next to it, within the outline cells only.
 */
export function backgroundTexels(photo: RgbaImage, mask: CellMask): Uint8Array {
  const { out, nearOutline } = backdropTexels(photo, mask);
  return widen(out, nearOutline, photo.width, photo.height, BLEND_TEXELS);
}

function backdropTexels(photo: RgbaImage, mask: CellMask): { out: Uint8Array; nearOutline: Uint8Array | null } {
  const { width: W, height: H, data } = photo;
  const out = new Uint8Array(W * H);
  if (mask.source === 'alpha') {
    for (let i = 0; i < out.length; i++) out[i] = data[i * 4 + 3]! < ALPHA_CUTOFF ? 1 : 0;
    return { out, nearOutline: null };
  }
  const nearOutline = new Uint8Array(W * H);
  if (mask.source !== 'background' || !mask.backdrop) return { out, nearOutline };
  const { width: w, height: h, cells } = mask;
  const edge = outlineCells(cells, w, h);
  const [br, bg, bb] = mask.backdrop.colour;
  const limit = Math.min(MAX_EDGE_TOLERANCE, EDGE_TOLERANCE_FACTOR * mask.backdrop.tolerance);
  for (let y = 0; y < H; y++) {
    const cy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / H));
    for (let x = 0; x < W; x++) {
      const cell = cy * w + Math.min(w - 1, Math.floor(((x + 0.5) * w) / W));
      const i = y * W + x;
      if (!cells[cell]) {
        out[i] = 1;
      } else if (edge[cell]) {
        nearOutline[i] = 1;
        const dr = data[i * 4]! - br, dg = data[i * 4 + 1]! - bg, db = data[i * 4 + 2]! - bb;
        out[i] = dr * dr + dg * dg + db * db <= limit * limit ? 1 : 0;
      }
    }
  }
  return { out, nearOutline };
}

/** Grows the marked texels by `rings` texels, into texels `allowed` marks (every texel when null). */
function widen(marked: Uint8Array, allowed: Uint8Array | null, W: number, H: number, rings: number): Uint8Array {
  let current = marked;
  for (let ring = 0; ring < rings; ring++) {
    const next = Uint8Array.from(current);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        if (current[i] || (allowed && !allowed[i])) continue;
        if ((x > 0 && current[i - 1]) || (x < W - 1 && current[i + 1]) || (y > 0 && current[i - W]) || (y < H - 1 && current[i + W])) next[i] = 1;
      }
    }
    current = next;
  }
  return current;
}

/**
 * Subject cells within OUTLINE_CELLS cells of a backdrop cell (the image frame is not backdrop). Two, not
 * one: the small grid is shrunk with a wide filter, so cells next to the subject can pass as subject too.
 */
function outlineCells(cells: Uint8Array, w: number, h: number): Uint8Array {
  const edge = new Uint8Array(cells.length);
  const r = OUTLINE_CELLS;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!cells[y * w + x]) continue;
      for (let dy = -r; dy <= r && !edge[y * w + x]; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < w && yy < h && !cells[yy * w + xx]) {
            edge[y * w + x] = 1;
            break;
          }
        }
      }
    }
  }
  return edge;
}

/** Grows the subject's colours over backdrop texels one ring at a time, each texel the mean of its already coloured neighbours. */
function dilateInto(photo: RgbaImage, background: Uint8Array): Uint8Array {
  const { width: W, height: H } = photo;
  const data = Uint8Array.from(photo.data);
  const coloured = new Uint8Array(background.length);
  for (let i = 0; i < coloured.length; i++) coloured[i] = background[i] ? 0 : 1;
  const queued = new Uint8Array(background.length);
  const neighbours = (i: number, visit: (n: number) => void) => {
    const x = i % W;
    const y = (i - x) / W;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= H) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if ((dx || dy) && xx >= 0 && xx < W) visit(yy * W + xx);
      }
    }
  };

  let ring: number[] = [];
  for (let i = 0; i < background.length; i++) {
    if (!background[i]) continue;
    let touches = false;
    neighbours(i, (n) => { touches ||= coloured[n] === 1; });
    if (touches) {
      ring.push(i);
      queued[i] = 1;
    }
  }
  for (let step = 0; step < PAD_TEXELS && ring.length > 0; step++) {
    const colours = ring.map((i) => {
      const sum = [0, 0, 0];
      let n = 0;
      neighbours(i, (j) => {
        if (coloured[j] !== 1) return;
        for (let c = 0; c < 3; c++) sum[c]! += data[j * 4 + c]!;
        n++;
      });
      return sum.map((s) => Math.round(s / n));
    });
    ring.forEach((i, k) => data.set(colours[k]!, i * 4));
    for (const i of ring) coloured[i] = 1;
    const next: number[] = [];
    for (const i of ring) {
      neighbours(i, (n) => {
        if (background[n] && !coloured[n] && !queued[n]) {
          queued[n] = 1;
          next.push(n);
        }
      });
    }
    ring = next;
  }
  return data;
}
