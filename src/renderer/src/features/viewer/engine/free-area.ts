// The part of the viewport that overlays (toolbar, statistics strip) leave free: the camera's
// projection centre is moved into it (a lens shift, so orbiting still turns around the model's middle
// there) and framing fits the model into it. Also measures where the framed model lands on screen.
import { Vector3, type BufferAttribute, type Mesh, type Object3D, type PerspectiveCamera } from 'three';
import { WHOLE_VIEW, type FreeArea } from './framing';

/** CSS pixels taken by overlays along each edge of the viewport. */
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const NO_INSETS: Insets = { top: 0, right: 0, bottom: 0, left: 0 };

/** The model's screen rectangle in CSS pixels, relative to the viewport's top left corner. */
export interface ScreenBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Keeps at least this share of each side free, however large the overlays are. */
const MIN_FREE_SHARE = 0.35;

/** Insets limited so the free area never gets smaller than MIN_FREE_SHARE of a side. */
function usableInsets(insets: Insets, width: number, height: number): Insets {
  const fit = (a: number, b: number, size: number) => {
    const taken = Math.max(0, a) + Math.max(0, b);
    const allowed = size * (1 - MIN_FREE_SHARE);
    const scale = taken > allowed && taken > 0 ? allowed / taken : 1;
    return [Math.max(0, a) * scale, Math.max(0, b) * scale] as const;
  };
  const [top, bottom] = fit(insets.top, insets.bottom, height);
  const [left, right] = fit(insets.left, insets.right, width);
  return { top, right, bottom, left };
}

/**
 * Moves the projection centre to the middle of the free area (after every resize: the camera's
 * projection depends on the viewport size) and returns the free area's shares for framing.
 */
export function applyInsets(camera: PerspectiveCamera, width: number, height: number, insets: Insets): FreeArea {
  if (width <= 0 || height <= 0) return WHOLE_VIEW;
  const usable = usableInsets(insets, width, height);
  const shiftX = (usable.right - usable.left) / 2;
  const shiftY = (usable.bottom - usable.top) / 2;
  if (shiftX === 0 && shiftY === 0) camera.clearViewOffset();
  else camera.setViewOffset(width, height, shiftX, shiftY, width, height);
  camera.updateProjectionMatrix();
  return {
    width: (width - usable.left - usable.right) / width,
    height: (height - usable.top - usable.bottom) / height,
  };
}

/** Where the model's vertices land on screen from the camera's current pose (null when it has none). */
export function projectedBox(root: Object3D, camera: PerspectiveCamera, width: number, height: number): ScreenBox | null {
  camera.updateMatrixWorld();
  root.updateWorldMatrix(true, true);
  const point = new Vector3();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  root.traverse((object) => {
    const mesh = object as Mesh;
    const position = mesh.geometry?.getAttribute?.('position') as BufferAttribute | undefined;
    if (!position || !mesh.isMesh) return;
    for (let i = 0; i < position.count; i++) {
      point.fromBufferAttribute(position, i).applyMatrix4(mesh.matrixWorld).project(camera);
      minX = Math.min(minX, point.x);
      maxX = Math.max(maxX, point.x);
      minY = Math.min(minY, point.y);
      maxY = Math.max(maxY, point.y);
    }
  });
  if (minX > maxX) return null;
  // Normalized device coordinates (-1..1, y up) to CSS pixels (y down).
  const left = ((minX + 1) / 2) * width;
  const right = ((maxX + 1) / 2) * width;
  const top = ((1 - maxY) / 2) * height;
  const bottom = ((1 - minY) / 2) * height;
  return { left, top, width: right - left, height: bottom - top };
}
