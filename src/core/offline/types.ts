// Plain data shapes passed between the relief steps (no sharp, no glTF here).

/** 8-bit RGBA pixels, row by row, top row first. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Where the subject's outline came from; written into the GLB so the result says what it is. */
export type MaskSource = 'alpha' | 'background' | 'full-image';

/** One byte per grid cell, 1 = subject. Same size as the RGBA grid it was made from. */
export interface CellMask {
  width: number;
  height: number;
  cells: Uint8Array;
  source: MaskSource;
  /** The plain backdrop the outline was flooded over (source 'background' only), with the colour distance (0..441) still counted as backdrop. */
  backdrop?: { colour: [number, number, number]; tolerance: number };
}
