// The model's real size: its bounding box in the unit the user picks, drawn as a ruler. glTF lengths
// are metres. Three edges of the box (width along the front, height up the left front corner, depth
// along the right) get tick marks at a round step and a label; the rest of the box is drawn faintly.
// Labels are HTML over the canvas, moved after each frame, so text stays crisp at any size.
import { Box3, BufferGeometry, Float32BufferAttribute, LineBasicMaterial, LineSegments, Vector3, type Camera, type Object3D } from 'three';
import { formatLength, tickStep } from './units';
import type { LengthUnit } from './view-settings';

export interface Dimensions {
  /** Metres along x (width), y (height), z (depth). */
  size: { x: number; y: number; z: number };
}

export function measureDimensions(root: Object3D): Dimensions | null {
  root.updateWorldMatrix(true, true);
  const box = new Box3().setFromObject(root);
  if (box.isEmpty()) return null;
  const size = box.getSize(new Vector3());
  return { size: { x: size.x, y: size.y, z: size.z } };
}

type Axis = 'x' | 'y' | 'z';
const AXES: Axis[] = ['x', 'y', 'z'];
/** Half a label's typical size plus a little: how close to the view's edge a label's centre may go. */
const LABEL_MARGIN = { x: 80, y: 18 };
const LABEL_NAMES: Record<Axis, string> = { x: 'Width', y: 'Height', z: 'Depth' };

export class DimensionsOverlay {
  private readonly lines: LineSegments<BufferGeometry, LineBasicMaterial>;
  private readonly layer: HTMLDivElement;
  private readonly labels: Record<Axis, HTMLSpanElement>;
  private box: Box3 | null = null;
  private readonly anchors: Record<Axis, Vector3> = { x: new Vector3(), y: new Vector3(), z: new Vector3() };

  constructor(parent: Object3D, host: HTMLElement) {
    this.lines = new LineSegments(new BufferGeometry(), new LineBasicMaterial({ transparent: true, depthTest: false, toneMapped: false }));
    this.lines.name = 'dimensions';
    this.lines.renderOrder = 2;
    this.lines.visible = false;
    parent.add(this.lines);
    this.layer = document.createElement('div');
    this.layer.className = 'mv-dims';
    this.layer.hidden = true;
    this.layer.setAttribute('data-testid', 'viewer-dimensions');
    this.labels = { x: this.label('x'), y: this.label('y'), z: this.label('z') };
    host.appendChild(this.layer);
  }

  private label(axis: Axis): HTMLSpanElement {
    const span = document.createElement('span');
    span.className = `mv-dim mv-dim-${axis}`;
    span.setAttribute('data-axis', axis);
    this.layer.appendChild(span);
    return span;
  }

  /** Rebuilds the ruler for `root` (null removes it) in `unit`. */
  show(root: Object3D | null, unit: LengthUnit, visible: boolean, tone: 'dark' | 'light'): void {
    this.box = root ? new Box3().setFromObject(root) : null;
    if (this.box?.isEmpty()) this.box = null;
    const on = visible && this.box !== null;
    this.lines.visible = on;
    this.layer.hidden = !on;
    this.lines.material.color.set(tone === 'dark' ? 0xffd166 : 0xb3541e);
    this.lines.geometry.dispose();
    this.lines.geometry = on ? this.geometry(this.box!, unit) : new BufferGeometry();
    if (!on) return;
    const size = this.box!.getSize(new Vector3());
    for (const axis of AXES) {
      this.labels[axis].textContent = `${LABEL_NAMES[axis]} ${formatLength(size[axis], unit)}`;
    }
  }

  private geometry(box: Box3, unit: LengthUnit): BufferGeometry {
    const { min, max } = box;
    const size = box.getSize(new Vector3());
    const positions: number[] = [];
    const colors: number[] = [];
    const segment = (a: Vector3, b: Vector3, alpha: number) => {
      positions.push(a.x, a.y, a.z, b.x, b.y, b.z);
      colors.push(1, 1, 1, alpha, 1, 1, 1, alpha);
    };
    // The faint box.
    const corners: Vector3[] = [];
    for (const x of [min.x, max.x]) for (const y of [min.y, max.y]) for (const z of [min.z, max.z]) corners.push(new Vector3(x, y, z));
    for (let i = 0; i < 8; i++) {
      for (let j = i + 1; j < 8; j++) {
        const differing = (['x', 'y', 'z'] as const).filter((k) => corners[i]![k] !== corners[j]![k]).length;
        if (differing === 1) segment(corners[i]!, corners[j]!, 0.28);
      }
    }
    // The three ruler edges, with ticks pointing away from the box.
    const tickLength = Math.max(size.x, size.y, size.z) * 0.025;
    const rulers: { axis: Axis; from: Vector3; tickDir: Vector3 }[] = [
      { axis: 'x', from: new Vector3(min.x, min.y, max.z), tickDir: new Vector3(0, -1, 1).normalize() },
      { axis: 'y', from: new Vector3(min.x, min.y, max.z), tickDir: new Vector3(-1, 0, 1).normalize() },
      { axis: 'z', from: new Vector3(max.x, min.y, max.z), tickDir: new Vector3(1, -1, 0).normalize() },
    ];
    for (const { axis, from, tickDir } of rulers) {
      const direction = new Vector3(axis === 'x' ? 1 : 0, axis === 'y' ? 1 : 0, axis === 'z' ? -1 : 0);
      const length = size[axis];
      const to = from.clone().addScaledVector(direction, length);
      segment(from, to, 1);
      const step = tickStep(length, unit);
      const count = Math.min(200, Math.floor(length / step + 1e-6));
      for (let i = 0; i <= count; i++) {
        const at = from.clone().addScaledVector(direction, i * step);
        segment(at, at.clone().addScaledVector(tickDir, tickLength * (i % 5 === 0 ? 1.6 : 1)), 0.9);
      }
      segment(to, to.clone().addScaledVector(tickDir, tickLength * 1.6), 1);
      this.anchors[axis].copy(from).add(to).multiplyScalar(0.5).addScaledVector(tickDir, tickLength * 3);
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
    geometry.setAttribute('color', new Float32BufferAttribute(colors, 4));
    this.lines.material.vertexColors = true;
    this.lines.material.needsUpdate = true;
    return geometry;
  }

  /** Moves the labels to where their edges are on screen; call after each frame. */
  place(camera: Camera, width: number, height: number): void {
    if (!this.lines.visible) return;
    const p = new Vector3();
    for (const axis of AXES) {
      p.copy(this.anchors[axis]).project(camera);
      const behind = p.z > 1;
      const label = this.labels[axis];
      label.style.visibility = behind ? 'hidden' : 'visible';
      // Kept inside the view: the model fills it, so an edge's midpoint can fall just outside.
      const x = Math.min(Math.max(((p.x + 1) / 2) * width, LABEL_MARGIN.x), width - LABEL_MARGIN.x);
      const y = Math.min(Math.max(((1 - p.y) / 2) * height, LABEL_MARGIN.y), height - LABEL_MARGIN.y);
      label.style.transform = `translate(${x}px, ${y}px) translate(-50%, -50%)`;
    }
  }

  dispose(): void {
    this.lines.removeFromParent();
    this.lines.geometry.dispose();
    this.lines.material.dispose();
    this.layer.remove();
  }
}
