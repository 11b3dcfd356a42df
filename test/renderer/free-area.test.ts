// The viewer frames a model in the part of the view its overlays leave free: the projection centre
// moves to the middle of that part and the model's sphere fits inside it (plain three.js math).
import { Mesh, MeshBasicMaterial, PerspectiveCamera, SphereGeometry, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { fitDistance } from '../../src/renderer/src/features/viewer/engine/framing';
import { applyInsets, projectedBox } from '../../src/renderer/src/features/viewer/engine/free-area';

const WIDTH = 386;
const HEIGHT = 367;

/** A camera looking at a unit sphere at the origin from `distance`, as framing places it. */
function cameraAt(distance: number): PerspectiveCamera {
  const camera = new PerspectiveCamera(38, WIDTH / HEIGHT, 0.01, 100);
  camera.position.set(0, 0, distance);
  camera.lookAt(new Vector3());
  camera.updateMatrixWorld();
  return camera;
}

describe('framing in the free area', () => {
  const insets = { top: 104, right: 0, bottom: 58, left: 0 }; // a two-row toolbar, a stats strip
  const freeTop = insets.top;
  const freeBottom = HEIGHT - insets.bottom;

  it('puts the orbit centre in the middle of the free area', () => {
    const camera = cameraAt(5);
    applyInsets(camera, WIDTH, HEIGHT, insets);
    const centre = new Vector3().project(camera);
    expect(((1 - centre.y) / 2) * HEIGHT).toBeCloseTo((freeTop + freeBottom) / 2, 5);
    expect(((centre.x + 1) / 2) * WIDTH).toBeCloseTo(WIDTH / 2, 5);
  });

  it('fits the whole model between the overlays, where the whole view would let it run under them', () => {
    const sphere = new Mesh(new SphereGeometry(1, 48, 24), new MeshBasicMaterial());
    const camera = cameraAt(1);
    const area = applyInsets(camera, WIDTH, HEIGHT, insets);
    expect(area.height).toBeCloseTo((freeBottom - freeTop) / HEIGHT, 5);

    camera.position.set(0, 0, fitDistance(camera, 1, area));
    camera.updateMatrixWorld();
    const framed = projectedBox(sphere, camera, WIDTH, HEIGHT)!;
    expect(framed.top).toBeGreaterThanOrEqual(freeTop);
    expect(framed.top + framed.height).toBeLessThanOrEqual(freeBottom);

    camera.clearViewOffset();
    camera.position.set(0, 0, fitDistance(camera, 1));
    camera.updateMatrixWorld();
    const whole = projectedBox(sphere, camera, WIDTH, HEIGHT)!;
    expect(whole.top).toBeLessThan(freeTop); // under the toolbar: what the old framing did
  });

  it('always leaves part of the view to the model, however large the overlays', () => {
    const camera = cameraAt(5);
    const area = applyInsets(camera, WIDTH, HEIGHT, { top: 300, right: 0, bottom: 300, left: 0 });
    expect(area.height).toBeGreaterThan(0.3);
    expect(area.width).toBe(1);
  });
});
