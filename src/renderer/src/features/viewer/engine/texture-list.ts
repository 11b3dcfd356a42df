// The model's textures as the inspector lists them: what each is for (the material slot), its size,
// and its decoded image so the panel can draw it flat. Compressed (KTX2) textures have no drawable
// image; they are listed with their size only.
import type { Material, Mesh, Object3D, Texture } from 'three';

export interface TextureEntry {
  /** Stable within one model: the texture's uuid. */
  id: string;
  /** "Base colour", "Normal", "Metallic-roughness"... (several when one image serves several slots). */
  slots: string[];
  width: number;
  height: number;
  /** Something a 2D canvas can draw, or null (compressed textures). */
  image: CanvasImageSource | null;
}

const SLOTS: [key: string, label: string][] = [
  ['map', 'Base colour'],
  ['normalMap', 'Normal'],
  ['roughnessMap', 'Roughness'],
  ['metalnessMap', 'Metalness'],
  ['aoMap', 'Occlusion'],
  ['emissiveMap', 'Emissive'],
  ['alphaMap', 'Alpha'],
  ['bumpMap', 'Bump'],
  ['clearcoatMap', 'Clearcoat'],
  ['sheenColorMap', 'Sheen'],
  ['transmissionMap', 'Transmission'],
  ['specularIntensityMap', 'Specular'],
];

function drawable(texture: Texture): CanvasImageSource | null {
  const image: unknown = texture.image;
  if (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap) return image.width > 0 ? image : null; // 0 once closed
  if (typeof HTMLImageElement !== 'undefined' && image instanceof HTMLImageElement) return image;
  if (typeof HTMLCanvasElement !== 'undefined' && image instanceof HTMLCanvasElement) return image;
  return null;
}

function sizeOf(texture: Texture): { width: number; height: number } {
  const image = texture.image as { width?: number; height?: number } | undefined;
  const mip = (texture as { mipmaps?: Array<{ width?: number; height?: number }> }).mipmaps?.[0];
  return { width: image?.width ?? mip?.width ?? 0, height: image?.height ?? mip?.height ?? 0 };
}

export function listTextures(root: Object3D): TextureEntry[] {
  const entries = new Map<Texture, TextureEntry>();
  root.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh) return;
    for (const material of Array.isArray(mesh.material) ? mesh.material : [mesh.material]) {
      for (const [key, label] of SLOTS) {
        const texture = (material as Material & Record<string, unknown>)[key] as Texture | null | undefined;
        if (!texture || texture.isTexture !== true) continue;
        let entry = entries.get(texture);
        if (!entry) {
          entry = { id: texture.uuid, slots: [], ...sizeOf(texture), image: drawable(texture) };
          entries.set(texture, entry);
        }
        if (!entry.slots.includes(label)) entry.slots.push(label);
      }
    }
  });
  // glTF packs metalness and roughness into one image: name it once.
  for (const entry of entries.values()) {
    if (entry.slots.includes('Metalness') && entry.slots.includes('Roughness')) {
      entry.slots = entry.slots.filter((s) => s !== 'Metalness' && s !== 'Roughness');
      entry.slots.push('Metallic-roughness');
    }
  }
  return [...entries.values()];
}
