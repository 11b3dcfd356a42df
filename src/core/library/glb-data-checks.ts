// The vertex data of a plain model, checked here instead of by the Khronos validator.
// The validator reads every element of every accessor through Dart's generic collections: 7.6 ms of
// CPU for a 10,000-triangle model, 46 ms for 100,000 (a Tripo model), ~75 % of a model's whole check
// and the largest share of the engine's work per job. For a plain static model - what FAL's
// generators make: one buffer in the GLB's BIN chunk, no animation, skin, morph target, sparse or
// matrix accessor, only extensions that do not change how vertex bytes read - the validator is given
// the GLB without its BIN chunk (it still checks every rule of the JSON: schema, references, formats,
// alignment, each accessor within its buffer view and each view within its buffer's declared length),
// and this module reads the data, in one linear pass per accessor: the BIN chunk holds the declared
// buffer; no float is NaN or infinite; an accessor's declared min/max are its real ones (three.js
// frames and culls a model by POSITION's min/max); no index points past its primitive's vertices or
// is a primitive-restart value; an image's declared type is its real one and its format is enabled.
// Not checked here: the validator's quality rules on vertex values (unit-length normals, tangent
// signs, clamped colours), which change shading, not safety - a paid model is no longer refused for
// them. Anything else goes to the full validator (glb.ts).
import { isRecord } from '../util/errors';
import { list, num, str, TYPE_COMPONENTS } from './glb-json';
import { embeddedImageHeader, imageBytes } from './glb-stats';

const GLB_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;
const FLOAT = 5126;
const RESTART_INDEX: Record<number, number> = { 5121: 0xff, 5123: 0xffff, 5125: 0xffffffff };

/** Extensions that leave vertex bytes as the core spec reads them (materials, textures, lights, Draco: decoded and checked by glb-draco). */
const PLAIN_EXTENSIONS = new Set([
  'KHR_draco_mesh_compression',
  'KHR_mesh_quantization',
  'KHR_texture_transform',
  'KHR_texture_basisu',
  'EXT_texture_webp',
  'KHR_lights_punctual',
]);
const isPlainExtension = (name: unknown) => typeof name === 'string' && (name.startsWith('KHR_materials_') || PLAIN_EXTENSIONS.has(name));

/**
 * The GLB's bytes without its BIN chunk when its data can be checked here (see the header), else
 * null. Only a file of exactly two 4-byte-aligned chunks (JSON, BIN) qualifies: the validator then
 * misses no container rule of the chunk it does not see.
 */
export function withoutDataChunk(bytes: Uint8Array, json: Record<string, unknown>, bin: Uint8Array | null): Uint8Array | null {
  if (!bin || !isPlainModel(json)) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = dv.getUint32(GLB_HEADER_BYTES, true);
  const jsonEnd = GLB_HEADER_BYTES + CHUNK_HEADER_BYTES + jsonLength;
  if (jsonLength % 4 !== 0 || bin.byteLength % 4 !== 0) return null;
  if (bytes.byteLength !== jsonEnd + CHUNK_HEADER_BYTES + bin.byteLength) return null;
  const stripped = bytes.slice(0, jsonEnd);
  new DataView(stripped.buffer).setUint32(8, jsonEnd, true);
  return stripped;
}

function isPlainModel(json: Record<string, unknown>): boolean {
  const buffers = list(json.buffers);
  if (buffers.length !== 1 || !isRecord(buffers[0]) || buffers[0].uri !== undefined) return false;
  if (list(json.animations).length > 0 || list(json.skins).length > 0) return false;
  if (!list(json.extensionsUsed).every(isPlainExtension)) return false;
  if (list(json.accessors).some((a) => !isRecord(a) || a.sparse !== undefined || str(a.type)?.startsWith('MAT') !== false)) return false;
  return list(json.meshes).every(
    (mesh) => isRecord(mesh) && list(mesh.primitives).every((p) => isRecord(p) && p.targets === undefined),
  );
}

/** The first problem of the data a plain model's JSON describes (run after the validator passed that JSON), or null. */
export function dataProblem(json: Record<string, unknown>, bin: Uint8Array): string | null {
  const buffer = list(json.buffers)[0];
  const declared = isRecord(buffer) ? (num(buffer.byteLength) ?? 0) : 0;
  if (bin.byteLength < declared) return `The GLB's BIN chunk holds ${bin.byteLength} bytes; its buffer declares ${declared}`;
  const accessors = list(json.accessors);
  for (const [i, accessor] of accessors.entries()) {
    const problem = accessorProblem(json, bin, accessor as Record<string, unknown>, i);
    if (problem) return problem;
  }
  for (const [index, { vertices, pointer }] of fewestVertices(json)) {
    const problem = indexProblem(json, bin, accessors[index], vertices, pointer);
    if (problem) return problem;
  }
  return imageProblem(json, bin);
}

type Components = { [index: number]: number; readonly length: number };
const TYPED: Record<number, { BYTES_PER_ELEMENT: number; new (buffer: ArrayBufferLike, offset: number, length: number): Components; new (length: number): Components }> = {
  5120: Int8Array, 5121: Uint8Array, 5122: Int16Array, 5123: Uint16Array, 5125: Uint32Array, 5126: Float32Array,
};

/**
 * Every component of an accessor, in order: a view of the BIN chunk when its elements are packed and
 * aligned (as FAL's are), else a copy read element by element - of its own component type, so never
 * larger than the data (as doubles, strided bytes took 6x: 384 MB for a 64 MB view); null for an
 * accessor without a buffer view (Draco's, or zero-filled).
 */
function componentsOf(json: Record<string, unknown>, bin: Uint8Array, accessor: Record<string, unknown>): Components | null {
  const view = list(json.bufferViews)[num(accessor.bufferView) ?? -1];
  const componentType = num(accessor.componentType) ?? 0;
  const Typed = TYPED[componentType];
  if (!isRecord(view) || !Typed) return null;
  const size = Typed.BYTES_PER_ELEMENT;
  const components = TYPE_COMPONENTS[str(accessor.type) ?? ''] ?? 0;
  const count = num(accessor.count) ?? 0;
  const stride = num(view.byteStride) ?? size * components;
  const start = bin.byteOffset + (num(view.byteOffset) ?? 0) + (num(accessor.byteOffset) ?? 0);
  if (stride === size * components && start % size === 0) return new Typed(bin.buffer, start, count * components);
  const values = new Typed(count * components);
  const dv = new DataView(bin.buffer);
  const read = reader(dv, componentType);
  for (let element = 0; element < count; element++) {
    for (let c = 0; c < components; c++) values[element * components + c] = read(start + element * stride + c * size);
  }
  return values;
}

function reader(dv: DataView, componentType: number): (at: number) => number {
  switch (componentType) {
    case 5120: return (at) => dv.getInt8(at);
    case 5121: return (at) => dv.getUint8(at);
    case 5122: return (at) => dv.getInt16(at, true);
    case 5123: return (at) => dv.getUint16(at, true);
    case 5125: return (at) => dv.getUint32(at, true);
    default: return (at) => dv.getFloat32(at, true);
  }
}

function accessorProblem(json: Record<string, unknown>, bin: Uint8Array, accessor: Record<string, unknown>, i: number): string | null {
  // Integers are always finite, but their declared bounds count as much as a float's: a quantized
  // POSITION (KHR_mesh_quantization) is framed and culled by its min/max like a float one.
  const float = num(accessor.componentType) === FLOAT;
  if (!float && accessor.min === undefined && accessor.max === undefined) return null;
  const values = componentsOf(json, bin, accessor);
  if (!values || values.length === 0) return null;
  const components = TYPE_COMPONENTS[str(accessor.type) ?? ''] ?? 1;
  const min = new Float64Array(components).fill(Infinity);
  const max = new Float64Array(components).fill(-Infinity);
  const notFinite = dataRange(values, components, min, max);
  if (notFinite !== null) return `Accessor ${i} holds ${notFinite} (a number must be finite)`;
  // Declared bounds are JSON numbers for float32 data: equal once rounded to float32, as written (integers: exactly).
  return boundsProblem(accessor.min, 'min', min, float, i) ?? boundsProblem(accessor.max, 'max', max, float, i);
}

/**
 * Fills each component's smallest and largest value; the first value that is not finite, else null.
 * Its own function: the engine's JIT compiled this loop with the bounds checks after it, which had
 * not run yet, and then left that code at every check (twice per model, each time).
 */
function dataRange(values: ArrayLike<number>, components: number, min: Float64Array, max: Float64Array): number | null {
  for (let at = 0; at < values.length; at += components) {
    for (let c = 0; c < components; c++) {
      const value = values[at + c]!;
      if (value < min[c]!) min[c] = value;
      if (value > max[c]!) max[c] = value;
      if (!Number.isFinite(value)) return value;
    }
  }
  return null;
}

function boundsProblem(declared: unknown, name: 'min' | 'max', actual: Float64Array, float: boolean, i: number): string | null {
  const bounds = list(declared);
  for (let c = 0; c < bounds.length && c < actual.length; c++) {
    const bound = num(bounds[c]);
    if (bound !== undefined && (float ? Math.fround(bound) : bound) !== actual[c]) {
      return `Accessor ${i} declares ${name} ${bound} for component ${c}; its data's ${name} is ${actual[c]}`;
    }
  }
  return null;
}

/**
 * Each indices accessor with the fewest vertices of the primitives that use it, and the first such
 * primitive: an accessor is read once however many primitives name it (2,000 primitives over one
 * accessor of a million indices took 12 s read per primitive, the validator 0.5 s).
 */
function fewestVertices(json: Record<string, unknown>): Map<number, { vertices: number; pointer: string }> {
  const accessors = list(json.accessors);
  const fewest = new Map<number, { vertices: number; pointer: string }>();
  for (const [m, mesh] of list(json.meshes).entries()) {
    for (const [p, primitive] of (isRecord(mesh) ? list(mesh.primitives) : []).entries()) {
      const index = isRecord(primitive) ? num(primitive.indices) : undefined;
      if (index === undefined || !isRecord(primitive)) continue;
      const attributes = isRecord(primitive.attributes) ? Object.values(primitive.attributes) : [];
      let vertices = Infinity;
      for (const a of attributes) vertices = Math.min(vertices, num((accessors[num(a) ?? -1] as Record<string, unknown> | undefined)?.count) ?? 0);
      const seen = fewest.get(index);
      if (!seen || vertices < seen.vertices) fewest.set(index, { vertices, pointer: `/meshes/${m}/primitives/${p}` });
    }
  }
  return fewest;
}

function indexProblem(json: Record<string, unknown>, bin: Uint8Array, indices: unknown, vertices: number, pointer: string): string | null {
  const values = isRecord(indices) ? componentsOf(json, bin, indices) : null;
  if (!values || !isRecord(indices)) return null;
  const restart = RESTART_INDEX[num(indices.componentType) ?? 0];
  for (let at = 0; at < values.length; at++) {
    const value = values[at]!;
    if (value === restart) return `${pointer} uses the primitive-restart index ${value}, which glTF does not allow`;
    if (value >= vertices) return `${pointer} uses vertex ${value}; it has ${vertices} vertices`;
  }
  return null;
}

/** Embedded images whose declared type is not their real one, or whose format needs an extension the file does not use. */
function imageProblem(json: Record<string, unknown>, bin: Uint8Array): string | null {
  const used = new Set(list(json.extensionsUsed));
  for (const [i, image] of list(json.images).entries()) {
    if (!isRecord(image)) continue;
    const data = imageBytes(json, bin, image);
    const header = data ? embeddedImageHeader(json, image, data) : null;
    if (!header) continue; // not embedded data, or unreadable: glb.ts refuses the file before this
    const declared = str(image.mimeType);
    if (declared !== undefined && declared !== header.mimeType) return `Image ${i} is declared ${declared} but is ${header.mimeType}`;
    if (header.mimeType === 'image/webp' && !used.has('EXT_texture_webp')) return `Image ${i} is WebP, which needs the EXT_texture_webp extension`;
    if (header.mimeType === 'image/ktx2' && !used.has('KHR_texture_basisu')) return `Image ${i} is KTX2, which needs the KHR_texture_basisu extension`;
  }
  return null;
}
