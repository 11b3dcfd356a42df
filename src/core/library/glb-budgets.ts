// What a GLB may make its reader allocate beyond its own bytes: the limits checked before the Khronos
// validator (depth, geometry not in the file, GPU instancing) and after it (textures once decoded).
// Each figure was measured on a file that passes the validator (see each comment).
import { createRequire } from 'node:module';
import type { TextureInfo } from '../../shared/domain';
import { isRecord } from '../util/errors';
import { isWhole, list, num, str } from './glb-json';

// ---- Draco point clouds ------------------------------------------------------------------------
// A Draco stream says itself what it decodes to, whatever the glTF accessors claim, and the validator
// cannot look inside it. As a point cloud it compresses without limit: 58 bytes decode to 3 million
// points (a 592-byte GLB to 10 million, measured), and three's loader in the viewer decodes point
// clouds. glTF-Transform reads only Draco triangle meshes (an export fails on anything else), and
// models are meshes: the stream's geometry type (byte 7 after "DRACO" and the version) must be one.
const DRACO_MAGIC = 'DRACO';
const DRACO_TRIANGULAR_MESH = 1;

/** A reason when a KHR_draco_mesh_compression stream in the file is not a triangle mesh. */
export function dracoGeometryProblem(json: Record<string, unknown>, bin: Uint8Array | null): string | null {
  const decoded = new Map<number, Uint8Array | null>(); // data: URI buffers, each decoded once
  for (const mesh of list(json.meshes)) {
    for (const primitive of isRecord(mesh) ? list(mesh.primitives) : []) {
      const draco = isRecord(primitive) && isRecord(primitive.extensions) ? primitive.extensions.KHR_draco_mesh_compression : undefined;
      if (!isRecord(draco)) continue;
      const data = viewBytes(json, bin, num(draco.bufferView), decoded);
      // Data that cannot be found is the validator's to report.
      if (!data) continue;
      const magic = String.fromCharCode(...data.subarray(0, DRACO_MAGIC.length));
      if (magic !== DRACO_MAGIC || data.length < 8 || data[7] !== DRACO_TRIANGULAR_MESH) {
        return "The GLB's Draco-compressed data is not a triangle mesh (a point cloud or unreadable), which the app does not read";
      }
    }
  }
  return null;
}

// A stream whose header says "triangle mesh" may still hold nothing to decode (the header alone, or
// bytes that are no Draco mesh): it passed every check above and the validator, and the viewer and every
// export then failed on it ("Unknown geometry type", "Decoding failure"). Each stream is decoded once
// here, with the decoder exports use; point clouds were refused before (they decode without limit), and
// the meshes left are what the viewer decodes anyway.
//
// A stream that decodes may still not be the data the primitive describes: the extension's
// `attributes` name Draco attribute ids (POSITION: 0, ...) that may not be in the stream, and the
// primitive's accessors give counts the decoded mesh may not have. Readers trust both - glTF-Transform
// read a POSITION of no vertices from an id not in the stream, so exports wrote an empty or garbled
// mesh - so the decoded mesh is checked against them too.
interface DracoAttribute {
  ptr: number;
  unique_id(): number;
  num_components(): number;
}
interface DracoDecoderModule {
  Decoder: new () => {
    GetEncodedGeometryType(buffer: unknown): number;
    DecodeBufferToMesh(buffer: unknown, mesh: unknown): { ok(): boolean };
    GetAttribute(mesh: unknown, index: number): DracoAttribute;
  };
  DecoderBuffer: new () => { Init(data: Uint8Array, length: number): void };
  Mesh: new () => { ptr: number; num_points(): number; num_faces(): number; num_attributes(): number };
  TRIANGULAR_MESH: number;
  destroy(object: unknown): void;
}

/** What a Draco stream decodes to: its vertex and triangle counts, and the components of each attribute by unique id. */
interface DecodedDraco {
  points: number;
  faces: number;
  components: Map<number, number>;
}

/**
 * A reason when a KHR_draco_mesh_compression stream does not decode to a triangle mesh, or decodes to
 * one that is not what its primitive says (attribute ids not in it, other vertex or index counts,
 * another number of components): see above. Each stream is decoded once (primitives may share one).
 */
export async function dracoDecodeProblem(json: Record<string, unknown>, bin: Uint8Array | null): Promise<string | null> {
  const decoded = new Map<number, Uint8Array | null>();
  const streams = new Map<number, DecodedDraco | null>();
  const accessors = list(json.accessors);
  let module: DracoDecoderModule | null = null;
  for (const [m, mesh] of list(json.meshes).entries()) {
    for (const [p, primitive] of (isRecord(mesh) ? list(mesh.primitives) : []).entries()) {
      const draco = isRecord(primitive) && isRecord(primitive.extensions) ? primitive.extensions.KHR_draco_mesh_compression : undefined;
      if (!isRecord(primitive) || !isRecord(draco)) continue;
      const view = num(draco.bufferView);
      const data = viewBytes(json, bin, view, decoded);
      if (view === undefined || !data) continue; // the validator's to report
      if (!streams.has(view)) {
        module ??= await (createRequire(import.meta.url)('draco3dgltf') as { createDecoderModule(): Promise<DracoDecoderModule> }).createDecoderModule();
        streams.set(view, decodeDraco(module, data));
      }
      const stream = streams.get(view)!;
      if (!stream) {
        return `The GLB's Draco-compressed mesh data is empty or damaged (mesh ${m}, part ${p} does not decode to a triangle mesh), so the model could not be shown or exported - generate it again`;
      }
      const mismatch = dracoMismatch(primitive, draco, stream, accessors);
      if (mismatch) {
        return `The GLB's Draco-compressed mesh data does not match the model's description (mesh ${m}, part ${p}: ${mismatch}), so its shape could not be read reliably for showing or exporting - generate it again`;
      }
    }
  }
  return null;
}

/** How a primitive's description disagrees with its decoded Draco mesh, or null. */
function dracoMismatch(primitive: Record<string, unknown>, draco: Record<string, unknown>, stream: DecodedDraco, accessors: unknown[]): string | null {
  const attributes = isRecord(primitive.attributes) ? primitive.attributes : {};
  for (const [semantic, id] of Object.entries(isRecord(draco.attributes) ? draco.attributes : {})) {
    const components = isWhole(id) ? stream.components.get(id) : undefined;
    if (components === undefined) return `its ${semantic} is Draco attribute ${JSON.stringify(id)}, which its Draco data does not hold`;
    const accessor = accessors[num(attributes[semantic]) ?? -1];
    if (!isRecord(accessor)) continue; // the validator's to report
    const count = num(accessor.count);
    if (count !== undefined && count !== stream.points) return `its ${semantic} has ${count} vertices, its Draco data ${stream.points}`;
    const expected = TYPE_COMPONENTS[str(accessor.type) ?? ''];
    if (expected !== undefined && expected !== components) return `its ${semantic} has ${expected} components per vertex, its Draco data ${components}`;
  }
  const indices = accessors[num(primitive.indices) ?? -1];
  const indexCount = isRecord(indices) ? num(indices.count) : undefined;
  if (indexCount !== undefined && indexCount !== stream.faces * 3) return `it has ${indexCount} indices, its Draco data ${stream.faces * 3} (${stream.faces} triangles)`;
  return null;
}

function decodeDraco(module: DracoDecoderModule, data: Uint8Array): DecodedDraco | null {
  const decoder = new module.Decoder();
  const buffer = new module.DecoderBuffer();
  const mesh = new module.Mesh();
  try {
    buffer.Init(data, data.length);
    if (decoder.GetEncodedGeometryType(buffer) !== module.TRIANGULAR_MESH) return null;
    if (!decoder.DecodeBufferToMesh(buffer, mesh).ok() || mesh.ptr === 0) return null;
    const components = new Map<number, number>();
    for (let i = 0; i < mesh.num_attributes(); i++) {
      const attribute = decoder.GetAttribute(mesh, i);
      if (attribute.ptr !== 0) components.set(attribute.unique_id(), attribute.num_components());
    }
    return { points: mesh.num_points(), faces: mesh.num_faces(), components };
  } catch {
    return null; // the decoder failed inside (a RuntimeError from its wasm): it cannot be read either
  } finally {
    for (const object of [mesh, buffer, decoder]) module.destroy(object);
  }
}

/** The bytes of a buffer view in the BIN chunk or a base64 data: URI buffer, or null. */
function viewBytes(json: Record<string, unknown>, bin: Uint8Array | null, index: number | undefined, decoded: Map<number, Uint8Array | null>): Uint8Array | null {
  const view = index === undefined ? undefined : list(json.bufferViews)[index];
  if (!isRecord(view)) return null;
  const bufferIndex = num(view.buffer) ?? -1;
  const buffer = list(json.buffers)[bufferIndex];
  if (!isRecord(buffer)) return null;
  const uri = str(buffer.uri);
  if (uri !== undefined && !decoded.has(bufferIndex)) {
    const base64 = /^data:[^,]*;base64,(.*)$/s.exec(uri)?.[1];
    decoded.set(bufferIndex, base64 === undefined ? null : new Uint8Array(Buffer.from(base64, 'base64')));
  }
  const data = uri === undefined ? bin : decoded.get(bufferIndex)!;
  const offset = num(view.byteOffset) ?? 0;
  const length = num(view.byteLength) ?? 0;
  if (!data || offset < 0 || length < 0 || offset + length > data.byteLength) return null;
  return data.subarray(offset, offset + length);
}

// ---- depth limits ------------------------------------------------------------------------------
// The Khronos validator walks the JSON and the node hierarchy recursively. Tens of thousands of levels
// (a file of a few hundred KB) overflow its stack inside its own async code, where no try/catch
// reaches: an uncaught exception that ends the process, or a check that never answers. Real models
// are a few levels deep; such a file is refused before the validator sees it.
const MAX_JSON_DEPTH = 256;
const MAX_NODE_DEPTH = 1000;

/** A reason when the JSON nests deeper than MAX_JSON_DEPTH or the node hierarchy is deeper than MAX_NODE_DEPTH (or loops). */
export function checkDepths(json: Record<string, unknown>): string | null {
  if (jsonDepthOver(json, MAX_JSON_DEPTH)) return `The GLB's JSON is nested too deep (more than ${MAX_JSON_DEPTH} levels)`;
  return nodeHierarchyProblem(list(json.nodes), MAX_NODE_DEPTH) ?? unbackedDataProblem(json) ?? instancingProblem(json);
}

// EXT_mesh_gpu_instancing: three's loader makes one InstancedMesh per primitive of the node's mesh,
// each with a 64-byte matrix per instance - from 12 bytes of translation in the file, shared by all of
// them. Measured: a 12 MB file (a million instances, 20 primitives) made 1,292 MB in the viewer's loader.
const INSTANCE_MATRIX_BYTES = 64;

function instancingProblem(json: Record<string, unknown>): string | null {
  const accessors = list(json.accessors);
  const meshes = list(json.meshes);
  let bytes = 0;
  let instances = 0;
  for (const node of list(json.nodes)) {
    const extension = isRecord(node) && isRecord(node.extensions) ? node.extensions.EXT_mesh_gpu_instancing : undefined;
    if (!isRecord(node) || !isRecord(extension) || !isRecord(extension.attributes)) continue;
    const mesh = meshes[num(node.mesh) ?? -1];
    const primitives = isRecord(mesh) ? list(mesh.primitives).length : 0;
    let count = 0;
    for (const index of Object.values(extension.attributes)) {
      const accessor = accessors[num(index) ?? -1];
      count = Math.max(count, isRecord(accessor) ? Math.max(0, num(accessor.count) ?? 0) : 0);
    }
    instances += count;
    bytes += count * primitives * INSTANCE_MATRIX_BYTES;
  }
  if (bytes <= MAX_UNBACKED_BYTES) return null;
  return `The GLB places its meshes ${instances.toLocaleString('en')} times (GPU instancing): ${Math.round(bytes / 1024 / 1024)} MB of instance data for the viewer to make; at most ${MAX_UNBACKED_BYTES / 1024 / 1024} MB is accepted`;
}

// Data a reader makes that is not in the file: an accessor with no bufferView is all zeros of its
// declared size (real models use it only for small sparse morph targets; Draco's decoded attributes
// are such accessors), and a meshopt-compressed bufferView decodes to `count` x `byteStride` bytes.
// Whoever reads the file (three's loader in the viewer, glTF-Transform in an export) allocates it, and
// the validator accepts both: a file of a few hundred bytes can claim gigabytes.
const MAX_UNBACKED_BYTES = 256 * 1024 * 1024;
const MESHOPT_EXTENSIONS = ['EXT_meshopt_compression', 'KHR_meshopt_compression'];
const COMPONENT_BYTES: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const TYPE_COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };

function unbackedDataProblem(json: Record<string, unknown>): string | null {
  let bytes = 0;
  // Accessors over the file's data: glTF-Transform copies each one's range out, and any number of
  // accessors may name the same range (100 accessors over one 10 MB view: 1 GB read from a 10 MB file).
  let backed = 0;
  for (const accessor of list(json.accessors)) {
    if (!isRecord(accessor)) continue;
    const element = (COMPONENT_BYTES[num(accessor.componentType) ?? 0] ?? 4) * (TYPE_COMPONENTS[str(accessor.type) ?? ''] ?? 16);
    const size = Math.max(0, num(accessor.count) ?? 0) * element;
    if (accessor.bufferView === undefined) bytes += size;
    else backed += size;
  }
  let held = 0;
  for (const buffer of list(json.buffers)) {
    // A meshopt fallback buffer declares the decoded size but holds nothing (its views are counted below).
    const fallback = isRecord(buffer) && isRecord(buffer.extensions) && MESHOPT_EXTENSIONS.some((name) => isRecord((buffer.extensions as Record<string, unknown>)[name]));
    if (isRecord(buffer) && !fallback) held += Math.max(0, num(buffer.byteLength) ?? 0);
  }
  for (const view of list(json.bufferViews)) {
    const extensions = isRecord(view) && isRecord(view.extensions) ? view.extensions : {};
    for (const name of MESHOPT_EXTENSIONS) {
      const meshopt = extensions[name];
      if (!isRecord(meshopt)) continue;
      // The decoders multiply these as JavaScript does: "100000000" or [100000000] is 100 million too.
      const { count, byteStride } = meshopt;
      if (!isWhole(count) || !isWhole(byteStride)) return `The GLB's ${name} data is malformed (its count and byteStride must be whole numbers)`;
      bytes += count * byteStride;
      held += count * byteStride;
    }
  }
  bytes += Math.max(0, backed - held);
  if (bytes <= MAX_UNBACKED_BYTES) return null;
  return `The GLB declares ${Math.round(bytes / 1024 / 1024)} MB of geometry that is not in the file (accessors without data or reading the same data again and again, or compressed data that would decode to that); at most ${MAX_UNBACKED_BYTES / 1024 / 1024} MB is accepted`;
}

function jsonDepthOver(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : [];
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Longest chain of node children (iterative, each node once), or a loop among them. */
function nodeHierarchyProblem(nodes: readonly unknown[], max: number): string | null {
  const childrenOf = (i: number): number[] => {
    const node = nodes[i];
    const children = isRecord(node) ? list(node.children) : [];
    return children.filter((c): c is number => Number.isInteger(c) && (c as number) >= 0 && (c as number) < nodes.length);
  };
  const height = new Int32Array(nodes.length); // 0: not seen, -1: on the current path, else levels below and including it
  for (let start = 0; start < nodes.length; start++) {
    if (height[start] !== 0) continue;
    const path: { node: number; next: number; children: number[] }[] = [{ node: start, next: 0, children: childrenOf(start) }];
    height[start] = -1;
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      if (top.next < top.children.length) {
        const child = top.children[top.next++]!;
        if (height[child] === -1) return `The GLB's node hierarchy loops (node ${child} is its own ancestor)`;
        if (height[child] === 0) {
          if (path.length >= max) return `The GLB's node hierarchy is too deep (more than ${max} levels)`;
          height[child] = -1;
          path.push({ node: child, next: 0, children: childrenOf(child) });
        }
        continue;
      }
      path.pop();
      height[top.node] = 1 + top.children.reduce((most, c) => Math.max(most, height[c]!), 0);
      if (height[top.node]! > max) return `The GLB's node hierarchy is too deep (more than ${max} levels)`;
    }
  }
  return null;
}

// Images are decoded whole (the viewer's texture upload, an export's resize or WebP-to-PNG for USDZ),
// and a flat image compresses almost without limit: a 10 KB lossless WebP of 16383 x 16383 pixels took
// 2.2 GB to turn into a PNG. Refused when the textures decode to more than the budget and to far more
// than their own bytes (a real 8K texture is megabytes: well under the ratio).
const MAX_LIGHT_TEXTURE_BYTES = 256 * 1024 * 1024;
const MAX_TEXTURE_EXPANSION = 1000;

export function textureDecodeProblem(textures: readonly TextureInfo[]): string | null {
  let decoded = 0;
  let held = 0;
  for (const texture of textures) {
    decoded += texture.width * texture.height * 4;
    held += texture.bytes;
  }
  if (decoded <= MAX_LIGHT_TEXTURE_BYTES || decoded <= held * MAX_TEXTURE_EXPANSION) return null;
  const largest = textures.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  return `The GLB's textures would take ${Math.round(decoded / 1024 / 1024)} MB once decoded from ${Math.ceil(held / 1024)} KB of image data (the largest is ${largest.width} x ${largest.height} pixels); at most ${MAX_TEXTURE_EXPANSION} times their size is accepted beyond ${MAX_LIGHT_TEXTURE_BYTES / 1024 / 1024} MB`;
}
