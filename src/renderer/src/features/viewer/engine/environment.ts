// Image-based lighting from three's RoomEnvironment, built locally (no HDR download). Building the
// PMREM is the slowest step of a first frame on software GL, so the viewer shows models under
// simple lights first and calls this once a frame is on screen.
import { PMREMGenerator, type WebGLRenderTarget, type WebGLRenderer } from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';

/** The caller owns the returned target and disposes it (its texture is scene.environment). */
export function buildRoomEnvironment(renderer: WebGLRenderer): WebGLRenderTarget {
  const generator = new PMREMGenerator(renderer);
  const room = new RoomEnvironment();
  try {
    return generator.fromScene(room, 0.04);
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
