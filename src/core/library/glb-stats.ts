// The figures the library shows for a model (triangles, vertices, materials, textures), read from the
// GLB's own JSON and BIN chunk after validation; embedded images are read, never fetched.
import type { ValidationResource } from 'gltf-validator';
import type { ModelStats, TextureInfo } from '../../shared/domain';
import { isRecord } from '../util/errors';
import { inspectImageHeader, isDamage, type ImageDamage, type ImageHeader } from './image-header';
import { list, num, str } from './glb-json';

const MODE_TRIANGLES = 4;
const MODE_TRIANGLE_STRIP = 5;
const MODE_TRIANGLE_FAN = 6;

export function computeStats(
  json: Record<string, unknown>,
  bin: Uint8Array | null,
  fileSize: number,
  resources: readonly ValidationResource[],
): ModelStats {
  const accessors = list(json.accessors);
  const countOf = (index: unknown): number => {
    const accessor = typeof index === 'number' ? accessors[index] : undefined;
    return isRecord(accessor) ? (num(accessor.count) ?? 0) : 0;
  };

  let triangles = 0;
  const positionAccessors = new Set<number>();
  for (const mesh of list(json.meshes)) {
    if (!isRecord(mesh)) continue;
    for (const primitive of list(mesh.primitives)) {
      if (!isRecord(primitive)) continue;
      const attributes = isRecord(primitive.attributes) ? primitive.attributes : {};
      const position = num(attributes.POSITION);
      if (position !== undefined) positionAccessors.add(position);
      const n = primitive.indices !== undefined ? countOf(primitive.indices) : countOf(position);
      triangles += trianglesFor(num(primitive.mode) ?? MODE_TRIANGLES, n);
    }
  }
  // A POSITION accessor shared by several primitives is one set of vertices.
  let vertices = 0;
  for (const index of positionAccessors) vertices += countOf(index);

  return {
    triangles,
    vertices,
    materials: list(json.materials).length,
    textures: list(json.images).map((image, i) => textureInfo(json, bin, image, resources, i)),
    fileSize,
  };
}

function trianglesFor(mode: number, elementCount: number): number {
  if (mode === MODE_TRIANGLES) return Math.floor(elementCount / 3);
  if (mode === MODE_TRIANGLE_STRIP || mode === MODE_TRIANGLE_FAN) return Math.max(0, elementCount - 2);
  return 0; // points and lines draw no triangles
}

function textureInfo(
  json: Record<string, unknown>,
  bin: Uint8Array | null,
  image: unknown,
  resources: readonly ValidationResource[],
  index: number,
): TextureInfo {
  const record = isRecord(image) ? image : {};
  const data = imageBytes(json, bin, record);
  const header = data ? embeddedImageHeader(json, record, data) : null;
  // The validator decodes image headers too; use it when our reader does not know the format.
  const resource = resources.find((r) => r.pointer === `/images/${index}`);
  return {
    width: header?.width ?? resource?.image?.width ?? 0,
    height: header?.height ?? resource?.image?.height ?? 0,
    mimeType: header?.mimeType ?? str(record.mimeType) ?? resource?.mimeType ?? 'application/octet-stream',
    bytes: data?.byteLength ?? 0,
  };
}

/**
 * The header of an image's embedded bytes (from imageBytes), or what is wrong with it, read once per
 * buffer view (or data: URI): any number of images may name one view, and a JPEG's size is found by
 * walking its segments - 100 images over a 1 MB JPEG of 4-byte segments took 0.35 s for a check's three
 * reads, 20,000 over 50 MB would take most of an hour. Kept by the view's (or image's) JSON object, so
 * only while that JSON lives.
 */
const headers = new WeakMap<object, ImageHeader | ImageDamage | null>();

export function embeddedImage(json: Record<string, unknown>, image: Record<string, unknown>, data: Uint8Array): ImageHeader | ImageDamage | null {
  const view = image.uri === undefined ? list(json.bufferViews)[num(image.bufferView) ?? -1] : undefined;
  const owner = isRecord(view) ? view : image; // a data: URI: its own bytes
  if (!headers.has(owner)) headers.set(owner, inspectImageHeader(data));
  return headers.get(owner)!;
}

/** The header of an image's embedded bytes, or null (not an image of these types, or damaged: glb.ts refuses those). */
export function embeddedImageHeader(json: Record<string, unknown>, image: Record<string, unknown>, data: Uint8Array): ImageHeader | null {
  const read = embeddedImage(json, image, data);
  return isDamage(read) ? null : read;
}

/** The embedded bytes of an image (buffer view in the BIN chunk or a data: URI), never fetched. */
export function imageBytes(json: Record<string, unknown>, bin: Uint8Array | null, image: Record<string, unknown>): Uint8Array | null {
  const uri = str(image.uri);
  if (uri !== undefined) return decodeDataUri(image, uri);
  const viewIndex = num(image.bufferView);
  const bufferView = viewIndex !== undefined ? list(json.bufferViews)[viewIndex] : undefined;
  if (!isRecord(bufferView)) return null;
  const bufferIndex = num(bufferView.buffer);
  const buffer = bufferIndex !== undefined ? list(json.buffers)[bufferIndex] : undefined;
  if (!isRecord(buffer)) return null;
  const bufferUri = str(buffer.uri);
  const data = bufferUri === undefined ? bin : decodeDataUri(buffer, bufferUri);
  if (!data) return null;
  const offset = num(bufferView.byteOffset) ?? 0;
  const length = num(bufferView.byteLength) ?? 0;
  if (offset + length > data.byteLength) return null;
  return data.subarray(offset, offset + length);
}

/**
 * Each data: URI decoded once, however many images read it: 300 images over one 20 MB data: URI buffer
 * (a 28 MB file) made 300 decodes of it, and the model's check took 70 s; thousands would take hours.
 * Kept by the JSON object that holds the URI (the buffer or image), so only while that JSON lives.
 */
const decodedUris = new WeakMap<object, Uint8Array | null>();

function decodeDataUri(owner: object, uri: string): Uint8Array | null {
  if (decodedUris.has(owner)) return decodedUris.get(owner)!;
  const match = /^data:[^,]*;base64,(.*)$/s.exec(uri);
  const data = match ? new Uint8Array(Buffer.from(match[1] ?? '', 'base64')) : null;
  decodedUris.set(owner, data);
  return data;
}
