// Exposes a viewer's internals on `window.__viewerDebug` in any non-production mode (dev server,
// harness builds); the production build drops this code: the condition is a compile-time constant.
import type { WebGLRenderer } from 'three';
import type { GpuMemory, ViewerDebug, ViewerDisposal } from './debug-types';

declare global {
  interface Window {
    __viewerDebug?: ViewerDebug;
    __viewerDisposals?: ViewerDisposal[];
  }
}

export const DEBUG_HOOKS = import.meta.env.DEV || import.meta.env.MODE !== 'production';

export function gpuMemory(renderer: WebGLRenderer): GpuMemory {
  const { memory, programs } = renderer.info;
  return { geometries: memory.geometries, textures: memory.textures, programs: programs?.length ?? 0 };
}

/** Counts pixels with non-zero alpha; call right after a render (the buffer is not preserved). */
export function countCoveredPixels(renderer: WebGLRenderer): { covered: number; total: number } {
  const gl = renderer.getContext();
  const width = gl.drawingBufferWidth;
  const height = gl.drawingBufferHeight;
  const pixels = new Uint8Array(width * height * 4);
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  let covered = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 8) covered++;
  return { covered, total: width * height };
}

export function publishDebug(debug: ViewerDebug): () => void {
  if (!DEBUG_HOOKS) return () => {};
  window.__viewerDebug = debug;
  return () => {
    if (window.__viewerDebug === debug) window.__viewerDebug = undefined;
  };
}

export function recordDisposal(before: GpuMemory): void {
  if (!DEBUG_HOOKS) return;
  (window.__viewerDisposals ??= []).push({ before, at: performance.now() });
}
