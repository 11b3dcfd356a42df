// Image-based lighting from three's RoomEnvironment, built locally (no HDR download).
//
// Building the PMREM is the slowest step of a first frame on software GL (the GGX prefilter takes
// 256 samples per texel). three builds it at 256 px per cube face at least; a room of soft area
// lights has no detail a 64 px face loses on the rough surfaces generated models have, and the
// build does a fraction of the work. The viewer still shows the model under simple lights first
// and builds this right after (building it during the load delayed the first frame more than it
// saved: bench:viewer).
import { PMREMGenerator, type WebGLCubeRenderTarget, type WebGLRenderer } from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';

/** Cube face size of the environment's sharpest level. */
export const ENVIRONMENT_SIZE = 64;

/**
 * A PMREMGenerator that honours a face size below three's 256 px floor. `_setSize` is three's
 * internal hook (extras/PMREMGenerator.js, 0.187); should it ever go away, the build simply falls
 * back to 256 px: slower, never wrong.
 */
class SmallPmremGenerator extends PMREMGenerator {
  declare private _cubeSize: number;

  _setSize(cubeSize: number): void {
    this._cubeSize = Math.max(16, 2 ** Math.floor(Math.log2(cubeSize)));
  }
}

/** The caller owns the returned target and disposes it (its texture is scene.environment). */
export function buildRoomEnvironment(renderer: WebGLRenderer, size = ENVIRONMENT_SIZE): WebGLCubeRenderTarget {
  const generator = new SmallPmremGenerator(renderer);
  const room = new RoomEnvironment();
  try {
    return generator.fromScene(room, 0.04, 0.1, 100, { size });
  } finally {
    room.dispose();
    generator.dispose();
  }
}

/** Runs `task` after the browser has painted the current frame and had a moment to breathe. */
export function afterNextPaint(task: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(task, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}
