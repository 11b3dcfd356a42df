// A ground grid that fades out towards its edge. Built once at unit size and scaled to each model,
// so switching models never creates or leaks grid geometry.
import { BufferGeometry, Float32BufferAttribute, LineBasicMaterial, LineSegments } from 'three';

const DIVISIONS = 20;
const SEGMENTS_PER_LINE = 24; // lines are split so the fade can vary along them

export type GridTone = 'dark' | 'light';
const TONES: Record<GridTone, { color: string; opacity: number }> = {
  dark: { color: '#c9d1e0', opacity: 0.34 },
  light: { color: '#3c4453', opacity: 0.3 },
};

/** Lines from -1 to 1 on the XZ plane, alpha falling from 1 at the centre to 0 at radius 1. */
function gridGeometry(): BufferGeometry {
  const positions: number[] = [];
  const colors: number[] = [];
  const fade = (x: number, z: number): number => Math.max(0, 1 - Math.hypot(x, z)) ** 1.5;
  const push = (x: number, z: number, emphasis: number): void => {
    positions.push(x, 0, z);
    colors.push(1, 1, 1, fade(x, z) * emphasis);
  };
  for (let i = 0; i <= DIVISIONS; i++) {
    const offset = -1 + (2 * i) / DIVISIONS;
    const emphasis = i === DIVISIONS / 2 ? 1 : 0.55; // the axes stand out a little
    for (let s = 0; s < SEGMENTS_PER_LINE; s++) {
      const a = -1 + (2 * s) / SEGMENTS_PER_LINE;
      const b = -1 + (2 * (s + 1)) / SEGMENTS_PER_LINE;
      push(offset, a, emphasis);
      push(offset, b, emphasis);
      push(a, offset, emphasis);
      push(b, offset, emphasis);
    }
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
  geometry.setAttribute('color', new Float32BufferAttribute(colors, 4));
  return geometry;
}

export class GroundGrid extends LineSegments<BufferGeometry, LineBasicMaterial> {
  constructor() {
    super(gridGeometry(), new LineBasicMaterial({ vertexColors: true, transparent: true, depthWrite: false, toneMapped: false }));
    this.name = 'ground-grid';
    this.renderOrder = -1;
    this.setTone('dark');
  }

  setTone(tone: GridTone): void {
    this.material.color.set(TONES[tone].color);
    this.material.opacity = TONES[tone].opacity;
  }

  /** Centres the grid under a model of the given radius, on its lowest point. */
  placeUnder(x: number, floorY: number, z: number, radius: number): void {
    this.position.set(x, floorY, z);
    this.scale.setScalar(radius * 3);
  }

  override dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
  }
}
