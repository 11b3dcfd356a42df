// Figures shown in the stats overlay, read from the loaded scene (what is actually drawn) and the
// glTF JSON for what the scene no longer knows (image mime types and encoded sizes).
import type { BufferAttribute, Material, Mesh, Object3D, Texture } from 'three';
import type { GLTFReference } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { ModelStats, TextureInfo } from '../../../../../shared/domain';

/** The parts of GLTFLoader's parser the stats need. */
export interface GltfSource {
  json: unknown;
  associations: Map<unknown, GLTFReference>;
}

type Json = Record<string, unknown>;
const asRecord = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asNumber = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Source image of a glTF texture, including the extensions that replace `source`. */
function imageIndexOfTexture(json: Json, textureIndex: number): number | undefined {
  const texture = asRecord(asList(json.textures)[textureIndex]);
  const extensions = asRecord(texture.extensions);
  for (const name of ['KHR_texture_basisu', 'EXT_texture_webp', 'EXT_texture_avif']) {
    const source = asNumber(asRecord(extensions[name]).source);
    if (source !== undefined) return source;
  }
  return asNumber(texture.source);
}

function textureSize(texture: Texture): { width: number; height: number } {
  const image = texture.image as { width?: number; height?: number } | undefined;
  const mip = (texture as { mipmaps?: Array<{ width?: number; height?: number }> }).mipmaps?.[0];
  return { width: image?.width ?? mip?.width ?? 0, height: image?.height ?? mip?.height ?? 0 };
}

function mimeTypeOf(image: Json): string {
  if (typeof image.mimeType === 'string') return image.mimeType;
  const match = typeof image.uri === 'string' ? /^data:([^;,]+)/.exec(image.uri) : null;
  return match?.[1] ?? 'application/octet-stream';
}

/** Encoded size of an embedded image: its buffer view, or the decoded length of a data: URI. */
function encodedBytes(json: Json, image: Json): number {
  const view = asNumber(image.bufferView);
  if (view !== undefined) return asNumber(asRecord(asList(json.bufferViews)[view]).byteLength) ?? 0;
  if (typeof image.uri === 'string' && image.uri.startsWith('data:')) {
    const base64 = image.uri.slice(image.uri.indexOf(',') + 1);
    return Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  }
  return 0;
}

export function computeModelStats(root: Object3D, gltf: GltfSource, fileSize: number): ModelStats {
  const json = asRecord(gltf.json);
  const geometries = new Set<Mesh['geometry']>();
  const materials = new Set<Material>();
  root.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh) return; // points and lines draw no triangles
    geometries.add(mesh.geometry);
    for (const material of Array.isArray(mesh.material) ? mesh.material : [mesh.material]) materials.add(material);
  });

  // A mesh used by several nodes shares one geometry: counted once, as the library does.
  let triangles = 0;
  const positions = new Set<BufferAttribute>();
  for (const geometry of geometries) {
    const position = geometry.getAttribute('position') as BufferAttribute | undefined;
    if (!position) continue;
    positions.add(position);
    triangles += Math.floor((geometry.index?.count ?? position.count) / 3);
  }
  let vertices = 0;
  for (const position of positions) vertices += position.count;

  // GLTFLoader may clone a material (e.g. for vertex colours); the glTF index says which it was.
  const materialKeys = new Set<unknown>();
  const textureByImage = new Map<number, Texture>();
  for (const material of materials) {
    materialKeys.add(gltf.associations.get(material)?.materials ?? material);
    for (const value of Object.values(material)) {
      const texture = value as Texture | null;
      if (!texture || (texture as { isTexture?: boolean }).isTexture !== true) continue;
      const textureIndex = gltf.associations.get(texture)?.textures;
      const imageIndex = textureIndex === undefined ? undefined : imageIndexOfTexture(json, textureIndex);
      if (imageIndex !== undefined && !textureByImage.has(imageIndex)) textureByImage.set(imageIndex, texture);
    }
  }

  const textures: TextureInfo[] = asList(json.images).map((entry, index) => {
    const image = asRecord(entry);
    const texture = textureByImage.get(index);
    const size = texture ? textureSize(texture) : { width: 0, height: 0 };
    return { ...size, mimeType: mimeTypeOf(image), bytes: encodedBytes(json, image) };
  });

  return { triangles, vertices, materials: materialKeys.size, textures, fileSize };
}
