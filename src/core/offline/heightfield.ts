// Guesses a depth per subject cell: a pillow-like bulge from the distance to the outline, plus a little
// detail from the photo's brightness. This is a heuristic relief, not a reconstruction.
import type { CellMask, RgbaImage } from './types';

/** How much brightness detail is mixed into the bulge (bulge itself spans 0..1). */
const DETAIL_WEIGHT = 0.3;
const SMOOTHING_PASSES = 2;

/** Heights in 0..1 per cell (0 outside the subject). */
export function computeHeights(grid: RgbaImage, mask: CellMask): Float32Array {
  const { width, height, cells } = mask;
  const distance = distanceToOutline(cells, width, height);
  let maxDistance = 0;
  for (let i = 0; i < cells.length; i++) if (cells[i]) maxDistance = Math.max(maxDistance, distance[i]!);

  const luminance = smooth(luminanceOf(grid), cells, width, height, 1);
  let lumSum = 0;
  let count = 0;
  for (let i = 0; i < cells.length; i++) {
    if (!cells[i]) continue;
    lumSum += luminance[i]!;
    count++;
  }
  const meanLum = count > 0 ? lumSum / count : 0;

  let heights: Float32Array = new Float32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    if (!cells[i]) continue;
    const t = maxDistance > 0 ? Math.min(1, distance[i]! / maxDistance) : 0;
    const bulge = Math.sqrt(t * (2 - t)); // quarter circle: steep at the outline, flat on top
    heights[i] = bulge + DETAIL_WEIGHT * (luminance[i]! - meanLum);
  }
  heights = smooth(heights, cells, width, height, SMOOTHING_PASSES);
  return normalise(heights, cells);
}

/** Chamfer (1, sqrt 2) distance in cells from each subject cell to the nearest non-subject cell or the image edge. */
export function distanceToOutline(cells: Uint8Array, width: number, height: number): Float32Array {
  const diagonal = Math.SQRT2;
  const d = new Float32Array(cells.length);
  for (let i = 0; i < cells.length; i++) d[i] = cells[i] ? Infinity : 0;
  // Outside the image counts as background, so a cropped subject still slopes down at the frame.
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : d[y * width + x]!);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!cells[i]) continue;
      d[i] = Math.min(d[i]!, at(x - 1, y) + 1, at(x, y - 1) + 1, at(x - 1, y - 1) + diagonal, at(x + 1, y - 1) + diagonal);
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (!cells[i]) continue;
      d[i] = Math.min(d[i]!, at(x + 1, y) + 1, at(x, y + 1) + 1, at(x + 1, y + 1) + diagonal, at(x - 1, y + 1) + diagonal);
    }
  }
  return d;
}

function luminanceOf(grid: RgbaImage): Float32Array {
  const out = new Float32Array(grid.width * grid.height);
  for (let i = 0; i < out.length; i++) {
    out[i] = (0.2126 * grid.data[i * 4]! + 0.7152 * grid.data[i * 4 + 1]! + 0.0722 * grid.data[i * 4 + 2]!) / 255;
  }
  return out;
}

/** 3x3 box blur that only averages subject cells, so the background never bleeds in. */
function smooth(values: Float32Array, cells: Uint8Array, width: number, height: number, passes: number): Float32Array {
  let current: Float32Array = values;
  for (let pass = 0; pass < passes; pass++) {
    const next = new Float32Array(current.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!cells[i]) continue;
        let sum = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= height) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= width || !cells[yy * width + xx]) continue;
            sum += current[yy * width + xx]!;
            n++;
          }
        }
        next[i] = sum / n;
      }
    }
    current = next;
  }
  return current;
}

function normalise(values: Float32Array, cells: Uint8Array): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < cells.length; i++) {
    if (!cells[i]) continue;
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  const range = max - min;
  const out = new Float32Array(values.length);
  if (!(range > 0)) return out;
  for (let i = 0; i < cells.length; i++) if (cells[i]) out[i] = (values[i]! - min) / range;
  return out;
}
