// Framing by bounding sphere: the camera looks at the sphere's centre from a fixed three-quarter
// direction, far enough that the whole sphere fits the narrower field of view, with some margin.
import { Box3, Sphere, Vector3, type BufferAttribute, type Mesh, type Object3D, type PerspectiveCamera } from 'three';
import type { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export interface Bounds {
  center: Vector3;
  radius: number;
  /** Lowest point of the model (where the ground grid sits). */
  floorY: number;
}

const VIEW_DIRECTION = new Vector3(0.55, 0.38, 1).normalize();
const MARGIN = 1.18;

/**
 * A tight sphere: centred on the bounding box, radius = farthest vertex from that centre (a
 * half-diagonal of the box would frame round models too loosely).
 */
export function measureBounds(root: Object3D): Bounds | null {
  root.updateWorldMatrix(true, true);
  const box = new Box3().setFromObject(root);
  if (box.isEmpty()) return null;
  const center = box.getCenter(new Vector3());
  const point = new Vector3();
  let radiusSq = 0;
  root.traverse((object) => {
    const mesh = object as Mesh;
    const position = mesh.geometry?.getAttribute?.('position') as BufferAttribute | undefined;
    if (!position || !(mesh.isMesh || (object as { isPoints?: boolean }).isPoints || (object as { isLine?: boolean }).isLine)) return;
    for (let i = 0; i < position.count; i++) {
      point.fromBufferAttribute(position, i).applyMatrix4(mesh.matrixWorld);
      radiusSq = Math.max(radiusSq, point.distanceToSquared(center));
    }
  });
  const radius = Math.sqrt(radiusSq) || box.getBoundingSphere(new Sphere()).radius || 1;
  return { center, radius, floorY: box.min.y };
}

/**
 * The part of the view the model may use, as shares of the viewport (overlays such as the toolbar
 * take the rest). The whole view by default.
 */
export interface FreeArea {
  /** Share of the width and height the free area spans (0..1]. */
  width: number;
  height: number;
}

export const WHOLE_VIEW: FreeArea = { width: 1, height: 1 };

/** Distance at which a sphere of `radius` just fits the narrower side of the free area. */
export function fitDistance(camera: PerspectiveCamera, radius: number, area: FreeArea = WHOLE_VIEW): number {
  const halfTan = Math.tan((camera.fov * Math.PI) / 360);
  const vertical = 2 * Math.atan(halfTan * area.height);
  const horizontal = 2 * Math.atan(halfTan * camera.aspect * area.width);
  return (radius / Math.sin(Math.min(vertical, horizontal) / 2)) * MARGIN;
}

/** Points camera and controls at the bounds and saves that pose as the one Reset returns to. */
export function frameBounds(camera: PerspectiveCamera, controls: OrbitControls, bounds: Bounds, area: FreeArea = WHOLE_VIEW): void {
  // Drop motion still being damped (a fling, auto-rotate easing out) so the camera stops exactly here.
  const damping = controls.enableDamping;
  controls.enableDamping = false;
  controls.update();
  controls.enableDamping = damping;
  const distance = fitDistance(camera, bounds.radius, area);
  camera.near = bounds.radius / 100;
  camera.far = bounds.radius * 100;
  camera.position.copy(bounds.center).addScaledVector(VIEW_DIRECTION, distance);
  camera.updateProjectionMatrix();
  controls.target.copy(bounds.center);
  controls.minDistance = bounds.radius * 0.2;
  controls.maxDistance = distance * 8;
  controls.update();
  controls.saveState();
}

/**
 * A camera pose relative to the model's bounds, so two models of different sizes can be seen from
 * the same angle and zoom (the compare view's linked cameras). Plain numbers: it crosses viewers.
 */
export interface RelativeView {
  /** Unit vector from the orbit target to the camera. */
  direction: [number, number, number];
  /** Camera distance as a multiple of the framing distance. */
  zoom: number;
  /** Orbit target minus the bounds' centre, in bounding radii. */
  offset: [number, number, number];
}

export function relativeView(camera: PerspectiveCamera, controls: OrbitControls, bounds: Bounds): RelativeView {
  const toCamera = camera.position.clone().sub(controls.target);
  const distance = toCamera.length() || 1;
  toCamera.divideScalar(distance);
  const offset = controls.target.clone().sub(bounds.center).divideScalar(bounds.radius);
  return { direction: toCamera.toArray(), zoom: distance / fitDistance(camera, bounds.radius), offset: offset.toArray() };
}

export function applyRelativeView(camera: PerspectiveCamera, controls: OrbitControls, bounds: Bounds, view: RelativeView): void {
  const target = bounds.center.clone().addScaledVector(new Vector3(...view.offset), bounds.radius);
  const direction = new Vector3(...view.direction).normalize();
  controls.target.copy(target);
  camera.position.copy(target).addScaledVector(direction, view.zoom * fitDistance(camera, bounds.radius));
  camera.lookAt(target);
}
