// GLB checks before a model enters the library: a cheap structural check of the container, then the
// Khronos validator, then the figures shown in the library (triangles, vertices, textures...).
// Stats are read from the GLB's own JSON and BIN chunk: nothing here ever reads a file or the network.
import { validateBytes, type ValidationReport, type ValidationResource } from 'gltf-validator';
import type { ModelStats, TextureInfo } from '../../shared/domain';
import { readImageHeader } from './image-header';
import { errorMessage as describe, isRecord } from '../util/errors';

const GLB_MAGIC = 0x46546c67; // 'glTF'
const CHUNK_JSON = 0x4e4f534a; // 'JSON'
const CHUNK_BIN = 0x004e4942; // 'BIN\0'
const HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

export type GlbHeaderResult = { ok: true; json: unknown } | { ok: false; reason: string };
export type GlbValidationResult =
  | { ok: true; stats: ModelStats }
  | { ok: false; reason: string; issues?: string[] };

type ParsedGlb = { ok: true; json: Record<string, unknown>; bin: Uint8Array | null } | { ok: false; reason: string };

function parseGlb(bytes: Uint8Array): ParsedGlb {
  if (bytes.byteLength < HEADER_BYTES) {
    return { ok: false, reason: `The file is too small to be a GLB (${bytes.byteLength} bytes)` };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== GLB_MAGIC) return { ok: false, reason: 'The file is not a GLB (missing glTF magic)' };
  const version = dv.getUint32(4, true);
  if (version !== 2) return { ok: false, reason: `The GLB is version ${version}; only glTF 2 is supported` };
  const declared = dv.getUint32(8, true);
  if (declared > bytes.byteLength) {
    return { ok: false, reason: `The GLB is truncated: header says ${declared} bytes, got ${bytes.byteLength}` };
  }
  if (declared < bytes.byteLength) {
    return { ok: false, reason: `The GLB has trailing data: header says ${declared} bytes, got ${bytes.byteLength}` };
  }

  if (bytes.byteLength < HEADER_BYTES + CHUNK_HEADER_BYTES) return { ok: false, reason: 'The GLB has no JSON chunk' };
  const jsonLength = dv.getUint32(12, true);
  if (dv.getUint32(16, true) !== CHUNK_JSON) return { ok: false, reason: 'The GLB does not start with a JSON chunk' };
  const jsonStart = HEADER_BYTES + CHUNK_HEADER_BYTES;
  if (jsonLength === 0 || jsonStart + jsonLength > bytes.byteLength) {
    return { ok: false, reason: `The GLB's JSON chunk length (${jsonLength} bytes) does not fit in the file` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(jsonStart, jsonStart + jsonLength)));
  } catch {
    return { ok: false, reason: "The GLB's JSON chunk is not valid JSON" };
  }
  if (!isRecord(json)) return { ok: false, reason: "The GLB's JSON chunk is not a glTF object" };
  const tooDeep = checkDepths(json);
  if (tooDeep) return { ok: false, reason: tooDeep };

  // Further chunks: the second may be BIN; unknown chunk types are allowed by the spec but must fit.
  let bin: Uint8Array | null = null;
  let at = jsonStart + jsonLength;
  while (at < bytes.byteLength) {
    if (at + CHUNK_HEADER_BYTES > bytes.byteLength) return { ok: false, reason: 'The GLB ends inside a chunk header' };
    const length = dv.getUint32(at, true);
    const type = dv.getUint32(at + 4, true);
    const start = at + CHUNK_HEADER_BYTES;
    if (start + length > bytes.byteLength) {
      return { ok: false, reason: `A GLB chunk (${length} bytes) runs past the end of the file` };
    }
    if (type === CHUNK_BIN && bin === null && at === jsonStart + jsonLength) bin = bytes.subarray(start, start + length);
    at = start + length;
  }
  return { ok: true, json, bin };
}

// ---- depth limits ------------------------------------------------------------------------------
// The Khronos validator walks the JSON and the node hierarchy recursively. Tens of thousands of levels
// (a file of a few hundred KB) overflow its stack inside its own async code, where no try/catch
// reaches: an uncaught exception that ends the process, or a check that never answers. Real models
// are a few levels deep; such a file is refused before the validator sees it.
const MAX_JSON_DEPTH = 256;
const MAX_NODE_DEPTH = 1000;

/** A reason when the JSON nests deeper than MAX_JSON_DEPTH or the node hierarchy is deeper than MAX_NODE_DEPTH (or loops). */
function checkDepths(json: Record<string, unknown>): string | null {
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

/** Structural check of the GLB container (magic, version, length, JSON chunk, chunk bounds). */
export function checkGlbHeader(bytes: Uint8Array): GlbHeaderResult {
  const parsed = parseGlb(bytes);
  return parsed.ok ? { ok: true, json: parsed.json } : parsed;
}

/**
 * Full validation: container check, then the Khronos validator (errors make the file invalid;
 * warnings do not), then stats. External resources are always refused, never fetched.
 */
export async function validateGlb(bytes: Uint8Array): Promise<GlbValidationResult> {
  const parsed = parseGlb(bytes);
  if (!parsed.ok) return parsed;

  let report: ValidationReport;
  try {
    report = await validateBytes(bytes, {
      format: 'glb',
      writeTimestamp: false,
      maxIssues: 100,
      externalResourceFunction: (uri) => Promise.reject(new Error(`external resource refused: ${uri}`)),
    });
  } catch (error) {
    return { ok: false, reason: `The GLB could not be validated: ${describe(error)}` };
  }

  const errors = report.issues.messages.filter((m) => m.severity === 0);
  if (errors.length > 0 || report.issues.numErrors > 0) {
    const issues = errors.map((m) => `${m.code}${m.pointer ? ` at ${m.pointer}` : ''}: ${m.message}`);
    const external = externalUrisOf(parsed.json);
    if (external.length > 0) {
      return {
        ok: false,
        reason: `The GLB refers to an external file (${external[0]}), which is not allowed: models must be self-contained`,
        issues,
      };
    }
    const first = errors[0]?.message ?? 'unknown error';
    const more = report.issues.numErrors > 1 ? ` (and ${report.issues.numErrors - 1} more errors)` : '';
    return { ok: false, reason: `The GLB is not valid glTF: ${first}${more}`, issues };
  }

  const stats = computeStats(parsed.json, parsed.bin, bytes.byteLength, report.info?.resources ?? []);
  const heavy = textureDecodeProblem(stats.textures);
  return heavy ? { ok: false, reason: heavy } : { ok: true, stats };
}

// Images are decoded whole (the viewer's texture upload, an export's resize or WebP-to-PNG for USDZ),
// and a flat image compresses almost without limit: a 10 KB lossless WebP of 16383 x 16383 pixels took
// 2.2 GB to turn into a PNG. Refused when the textures decode to more than the budget and to far more
// than their own bytes (a real 8K texture is megabytes: well under the ratio).
const MAX_LIGHT_TEXTURE_BYTES = 256 * 1024 * 1024;
const MAX_TEXTURE_EXPANSION = 1000;

function textureDecodeProblem(textures: readonly TextureInfo[]): string | null {
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

// ---- stats -------------------------------------------------------------------------------------

const MODE_TRIANGLES = 4;
const MODE_TRIANGLE_STRIP = 5;
const MODE_TRIANGLE_FAN = 6;

function computeStats(
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
  const header = data ? readImageHeader(data) : null;
  // The validator decodes image headers too; use it when our reader does not know the format.
  const resource = resources.find((r) => r.pointer === `/images/${index}`);
  return {
    width: header?.width ?? resource?.image?.width ?? 0,
    height: header?.height ?? resource?.image?.height ?? 0,
    mimeType: header?.mimeType ?? str(record.mimeType) ?? resource?.mimeType ?? 'application/octet-stream',
    bytes: data?.byteLength ?? 0,
  };
}

/** The embedded bytes of an image (buffer view in the BIN chunk or a data: URI), never fetched. */
function imageBytes(json: Record<string, unknown>, bin: Uint8Array | null, image: Record<string, unknown>): Uint8Array | null {
  const uri = str(image.uri);
  if (uri !== undefined) return decodeDataUri(uri);
  const viewIndex = num(image.bufferView);
  const bufferView = viewIndex !== undefined ? list(json.bufferViews)[viewIndex] : undefined;
  if (!isRecord(bufferView)) return null;
  const bufferIndex = num(bufferView.buffer);
  const buffer = bufferIndex !== undefined ? list(json.buffers)[bufferIndex] : undefined;
  if (!isRecord(buffer)) return null;
  const bufferUri = str(buffer.uri);
  const data = bufferUri === undefined ? bin : decodeDataUri(bufferUri);
  if (!data) return null;
  const offset = num(bufferView.byteOffset) ?? 0;
  const length = num(bufferView.byteLength) ?? 0;
  if (offset + length > data.byteLength) return null;
  return data.subarray(offset, offset + length);
}

function decodeDataUri(uri: string): Uint8Array | null {
  const match = /^data:[^,]*;base64,(.*)$/s.exec(uri);
  if (!match) return null;
  return new Uint8Array(Buffer.from(match[1] ?? '', 'base64'));
}

/** URIs of buffers and images that point outside the file (anything but data: URIs). */
export function externalUrisOf(json: unknown): string[] {
  if (!isRecord(json)) return [];
  const uris: string[] = [];
  for (const item of [...list(json.buffers), ...list(json.images)]) {
    const uri = isRecord(item) ? str(item.uri) : undefined;
    if (uri !== undefined && !uri.startsWith('data:')) uris.push(uri);
  }
  return uris;
}

// ---- loose JSON readers (the JSON is untrusted until the validator has run) ----------------------
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
