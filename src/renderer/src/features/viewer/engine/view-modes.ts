// The inspector's view modes. A mode other than 'lit' swaps every mesh's materials for stand-ins
// made from the originals (sharing their textures), and 'wireframe' adds an outline mesh over each
// shaded one. The originals are kept and put back before anything is disposed, so the model's own
// disposal stays exactly as before; the stand-ins and generated textures are freed by detach().
import {
  Color,
  DataTexture,
  LinearMipmapLinearFilter,
  Mesh,
  MeshBasicMaterial,
  MeshMatcapMaterial,
  MeshNormalMaterial,
  RepeatWrapping,
  SRGBColorSpace,
  type Material,
  type Object3D,
  type Texture,
} from 'three';
import type { ViewMode } from './view-settings';

type AnyMaterial = Material & {
  map?: Texture | null;
  normalMap?: Texture | null;
  normalScale?: { x: number; y: number };
  color?: Color;
  alphaMap?: Texture | null;
};

const WIRE_COLOR = { dark: 0xe6ebff, light: 0x1c2333 } as const;

/** A 512 px checker of 8 x 8 cells, hue changing across and brightness down, so stretching and seams show. */
export function makeUvCheckerTexture(size = 512, cells = 8): DataTexture {
  const data = new Uint8Array(size * size * 4);
  const cell = size / cells;
  const color = new Color();
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const cx = Math.floor(x / cell);
      const cy = Math.floor(y / cell);
      const dark = (cx + cy) % 2 === 0;
      color.setHSL(cx / cells, 0.65, dark ? 0.32 + (cy / cells) * 0.1 : 0.72 + (cy / cells) * 0.1, SRGBColorSpace);
      // A thin light frame in each cell makes the cell edges (and so seams) easy to follow.
      const edge = x % cell < 2 || y % cell < 2;
      const i = (y * size + x) * 4;
      data[i] = edge ? 245 : Math.round(color.r * 255);
      data[i + 1] = edge ? 245 : Math.round(color.g * 255);
      data[i + 2] = edge ? 245 : Math.round(color.b * 255);
      data[i + 3] = 255;
    }
  }
  const texture = new DataTexture(data, size, size);
  texture.colorSpace = SRGBColorSpace;
  texture.wrapS = texture.wrapT = RepeatWrapping;
  texture.minFilter = LinearMipmapLinearFilter;
  texture.generateMipmaps = true;
  texture.anisotropy = 4;
  texture.name = 'uv-checker';
  texture.needsUpdate = true;
  return texture;
}

/** A clay matcap: a lit sphere seen from the front (soft key from the upper left, rim light). */
export function makeMatcapTexture(size = 128): DataTexture {
  const data = new Uint8Array(size * size * 4);
  const light = { x: -0.45, y: 0.55, z: 0.7 };
  const len = Math.hypot(light.x, light.y, light.z);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) / size) * 2 - 1;
      const y = ((py + 0.5) / size) * 2 - 1; // DataTexture rows run bottom-up: +y is up
      const r2 = x * x + y * y;
      const z = Math.sqrt(Math.max(0, 1 - r2));
      const diffuse = Math.max(0, (x * light.x + y * light.y + z * light.z) / len);
      const rim = Math.pow(1 - z, 3) * 0.35;
      const shade = Math.min(1, 0.18 + diffuse * 0.75 + rim);
      const i = (py * size + px) * 4;
      data[i] = Math.round(255 * shade * 0.93);
      data[i + 1] = Math.round(255 * shade * 0.86);
      data[i + 2] = Math.round(255 * shade * 0.8);
      data[i + 3] = 255;
    }
  }
  const texture = new DataTexture(data, size, size);
  texture.colorSpace = SRGBColorSpace;
  texture.needsUpdate = true;
  texture.name = 'matcap';
  return texture;
}

function standIn(mode: Exclude<ViewMode, 'lit'>, original: AnyMaterial, generated: { checker: () => Texture; matcap: () => Texture }): Material {
  const common = { side: original.side, transparent: original.transparent, alphaTest: original.alphaTest, opacity: original.opacity };
  switch (mode) {
    case 'base':
      return new MeshBasicMaterial({ ...common, map: original.map ?? null, color: original.color?.clone() ?? new Color(0xffffff), alphaMap: original.alphaMap ?? null, vertexColors: original.vertexColors });
    case 'normals':
      return new MeshNormalMaterial({ side: original.side, normalMap: original.normalMap ?? null, normalScale: original.normalScale as never });
    case 'matcap':
      return new MeshMatcapMaterial({ side: original.side, matcap: generated.matcap(), normalMap: original.normalMap ?? null, normalScale: original.normalScale as never });
    case 'uv':
      return new MeshBasicMaterial({ side: original.side, map: generated.checker() });
    case 'wireframe': {
      // The shaded surface, pushed back a little so the outline drawn at the same depth wins.
      const copy = original.clone();
      copy.polygonOffset = true;
      copy.polygonOffsetFactor = 1;
      copy.polygonOffsetUnits = 1;
      return copy;
    }
  }
}

export class ViewModes {
  private mode: ViewMode = 'lit';
  private readonly originals = new Map<Mesh, Material | Material[]>();
  private readonly standIns = new Set<Material>();
  private readonly outlines: Mesh[] = [];
  private wireMaterial: MeshBasicMaterial | null = null;
  private checker: Texture | null = null;
  private matcap: Texture | null = null;

  get current(): ViewMode {
    return this.mode;
  }

  /** Draws `root` in `mode` (restoring the originals first). */
  apply(root: Object3D | null, mode: ViewMode, tone: 'dark' | 'light'): void {
    this.detach();
    this.mode = mode;
    if (!root || mode === 'lit') return;
    const generated = {
      checker: () => (this.checker ??= makeUvCheckerTexture()),
      matcap: () => (this.matcap ??= makeMatcapTexture()),
    };
    const byOriginal = new Map<Material, Material>();
    const swap = (material: Material): Material => {
      let replacement = byOriginal.get(material);
      if (!replacement) {
        replacement = standIn(mode, material as AnyMaterial, generated);
        byOriginal.set(material, replacement);
        this.standIns.add(replacement);
      }
      return replacement;
    };
    const meshes: Mesh[] = [];
    root.traverse((object) => {
      if ((object as Mesh).isMesh) meshes.push(object as Mesh);
    });
    for (const mesh of meshes) {
      this.originals.set(mesh, mesh.material);
      mesh.material = Array.isArray(mesh.material) ? mesh.material.map(swap) : swap(mesh.material);
      if (mode === 'wireframe') {
        this.wireMaterial ??= new MeshBasicMaterial({ wireframe: true, transparent: true, opacity: 0.42, depthWrite: false, toneMapped: false });
        this.wireMaterial.color.set(WIRE_COLOR[tone]);
        const outline = new Mesh(mesh.geometry, this.wireMaterial);
        outline.name = 'view-mode-outline';
        outline.renderOrder = 1;
        mesh.add(outline);
        this.outlines.push(outline);
      }
    }
  }

  /** Follows the backdrop so the outline stays readable. */
  setTone(tone: 'dark' | 'light'): void {
    this.wireMaterial?.color.set(WIRE_COLOR[tone]);
  }

  /** Puts the original materials back and frees everything the mode made. */
  detach(): void {
    for (const [mesh, material] of this.originals) mesh.material = material;
    this.originals.clear();
    for (const outline of this.outlines) outline.removeFromParent();
    this.outlines.length = 0;
    for (const material of this.standIns) material.dispose();
    this.standIns.clear();
    this.wireMaterial?.dispose();
    this.wireMaterial = null;
    this.checker?.dispose();
    this.checker = null;
    this.matcap?.dispose();
    this.matcap = null;
  }
}
