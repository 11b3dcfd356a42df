import { describe, expect, it } from 'vitest';
import { decodeInput } from '../../../src/core/offline/image-input';
import { computeMask } from '../../../src/core/offline/mask';
import type { CellMask } from '../../../src/core/offline/types';
import { busyScene, opaqueWithTransparentHole, subjectOnWhite } from './images';

const GRID = 160;

/** Calls `check` with each cell's centre in source-image pixels. */
function eachCell(mask: CellMask, imageWidth: number, imageHeight: number, check: (x: number, y: number, value: number) => void) {
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      check(((x + 0.5) * imageWidth) / mask.width, ((y + 0.5) * imageHeight) / mask.height, mask.cells[y * mask.width + x]!);
    }
  }
}

describe('subject outline', () => {
  it('separates a subject from a plain white backdrop', async () => {
    const { grid } = await decodeInput(await subjectOnWhite(), 1024, GRID);
    const mask = computeMask(grid);
    expect(mask.source).toBe('background');
    // Signed distance (px) to the subject: disc r=120 at (300,200) united with the block 260..340 x 40..100.
    const distance = (x: number, y: number) => {
      const disc = Math.hypot(x - 300, y - 200) - 120;
      const dx = Math.max(260 - x, x - 340);
      const dy = Math.max(40 - y, y - 100);
      const block = dx > 0 && dy > 0 ? Math.hypot(dx, dy) : Math.max(dx, dy);
      return Math.min(disc, block);
    };
    let wrongInside = 0;
    let wrongOutside = 0;
    eachCell(mask, 600, 400, (x, y, value) => {
      const d = distance(x, y);
      if (d < -8 && value !== 1) wrongInside++;
      if (d > 8 && value !== 0) wrongOutside++;
    });
    expect(wrongInside).toBe(0);
    expect(wrongOutside).toBe(0);
  });

  it('uses the alpha channel, so a transparent hole stays a hole even when its hidden colour matches', async () => {
    const { grid } = await decodeInput(await opaqueWithTransparentHole(), 1024, GRID);
    const mask = computeMask(grid);
    expect(mask.source).toBe('alpha');
    let wrong = 0;
    eachCell(mask, 300, 300, (x, y, value) => {
      const r = Math.hypot(x - 150, y - 150);
      if (r < 55 && value !== 0) wrong++;
      if (r > 65 && value !== 1) wrong++;
    });
    expect(wrong).toBe(0);
  });

  it('uses the whole image when there is no plain backdrop to find', async () => {
    const { grid } = await decodeInput(await busyScene(), 1024, GRID);
    const mask = computeMask(grid);
    expect(mask.source).toBe('full-image');
    expect(mask.cells.every((cell) => cell === 1)).toBe(true);
  });
});
