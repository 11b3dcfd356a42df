// What a dev or test build exposes on `window.__viewerDebug`, so tests and the benchmark can see
// GPU resources and timings. Plain data types only (the Node side imports them too).

export interface GpuMemory {
  geometries: number;
  textures: number;
  /** Compiled shader programs still cached by the renderer. */
  programs: number;
}

export interface LoadTiming {
  url: string;
  /** performance.now() when the viewer was asked to open the url. */
  requestedAt: number;
  /** When the model was parsed and placed in the scene. */
  shownAt: number | null;
  /** The next animation frame after the first render that contained the model (it was on screen). */
  firstFrameAt: number | null;
  outcome: 'pending' | 'shown' | 'canceled' | 'failed';
}

export interface PixelCoverage {
  /** Pixels the render touched (non-zero alpha: the canvas is transparent over a CSS backdrop). */
  covered: number;
  total: number;
}

export interface ViewerDebug {
  memory(): GpuMemory;
  /** Frames rendered since the viewer mounted. */
  frames(): number;
  /** When image-based lighting replaced the stand-in lights, or null. */
  environmentReadyAt(): number | null;
  /** The lighting environment once built: how long that took (main thread) and its cube face size. */
  environment(): { buildMs: number; faceSize: number } | null;
  loads(): LoadTiming[];
  /** Renders now (grid hidden unless asked) and counts covered pixels. */
  coverage(options?: { includeGrid?: boolean }): PixelCoverage;
}

export interface ViewerDisposal {
  /** GPU objects left just before the renderer itself was released (all zero when nothing leaked). */
  before: GpuMemory;
  at: number;
}
