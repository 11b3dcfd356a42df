// What a GLB may make its reader allocate beyond its own bytes: the limits checked before the Khronos
// validator (depth, geometry not in the file, GPU instancing) and after it (textures once decoded).
// Each figure was measured on a file that passes the validator (see each comment). Draco streams,
// which decode to whatever they say: glb-draco.ts.
import type { TextureInfo } from '../../shared/domain';
import { isRecord } from '../util/errors';
import { isWhole, list, num, str, TYPE_COMPONENTS } from './glb-json';

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
