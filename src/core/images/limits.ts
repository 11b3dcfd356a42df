/** Caps applied to every input image before anything is uploaded. */
export interface InputLimits {
  /** Largest file accepted, checked by stat before the file is read. */
  maxFileBytes: number;
  /**
   * Said when a file is over maxFileBytes: which limit that is and what to do (default: none named, "Use
   * a smaller file."). The CLI applies the app's limit, which a user would not look for there.
   */
  tooLarge?: { limitName: string; advice: string };
  /** Largest width x height accepted, checked from the header before decoding (decompression bombs). */
  maxPixels: number;
  /** Prepared images are downscaled so their long side is at most this (never upscaled). */
  maxLongSide: number;
  /** Below this on the short side the input is accepted with a warning. */
  minRecommendedSide: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = Object.freeze({
  maxFileBytes: 50 * 1024 * 1024,
  maxPixels: 50_000_000,
  maxLongSide: 2048,
  minRecommendedSide: 512,
});
