// Makes a raw subject mask fit for meshing: drops specks, fills pinholes and removes diagonal-only
// contacts, which would otherwise give edges shared by four triangles (a non-manifold mesh).
import { labelComponents } from './components';

/** Components smaller than this share of the largest one are treated as noise. */
const MIN_ISLAND_SHARE = 0.05;
/** Enclosed gaps smaller than this share of the grid are filled; bigger ones are real holes. */
const MAX_PINHOLE_SHARE = 0.002;

export function cleanMask(cells: Uint8Array, width: number, height: number): Uint8Array {
  const out = Uint8Array.from(cells);
  removeSmallIslands(out, width, height);
  fillPinholes(out, width, height);
  removeDiagonalContacts(out, width, height);
  return out;
}

function removeSmallIslands(cells: Uint8Array, width: number, height: number): void {
  const { labels, sizes } = labelComponents(cells, width, height, 1);
  if (sizes.length <= 1) return;
  const largest = Math.max(...sizes);
  const minSize = Math.max(2, Math.ceil(largest * MIN_ISLAND_SHARE));
  for (let i = 0; i < cells.length; i++) {
    const label = labels[i]!;
    if (label >= 0 && sizes[label]! < minSize) cells[i] = 0;
  }
}

function fillPinholes(cells: Uint8Array, width: number, height: number): void {
  const { labels, sizes, touchesBorder } = labelComponents(cells, width, height, 0);
  const maxSize = Math.max(2, Math.floor(width * height * MAX_PINHOLE_SHARE));
  for (let i = 0; i < cells.length; i++) {
    const label = labels[i]!;
    if (label >= 0 && !touchesBorder[label] && sizes[label]! <= maxSize) cells[i] = 1;
  }
}

/** Two subject cells touching only at a corner: fill one of the other two cells. Repeats until none are left. */
function removeDiagonalContacts(cells: Uint8Array, width: number, height: number): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (let y = 0; y < height - 1; y++) {
      for (let x = 0; x < width - 1; x++) {
        const i = y * width + x;
        const a = cells[i], b = cells[i + 1], c = cells[i + width], d = cells[i + width + 1];
        if (a && d && !b && !c) {
          cells[i + 1] = 1;
          changed = true;
        } else if (b && c && !a && !d) {
          cells[i] = 1;
          changed = true;
        }
      }
    }
  }
}
