// Local conversion of a library GLB to OBJ (+MTL + texture images) or binary STL. Geometry is
// baked into world space (node transforms applied) from the default scene; points and lines are
// skipped, skins/morph targets are taken in their rest pose.
import { createRequire } from 'node:module';
import { Logger, NodeIO, type Document, type Material, type Node, type Primitive, type Texture } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { checkGlbHeader, externalUrisOf } from './glb';

export type ConvertFormat = 'glb' | 'obj' | 'stl';
export interface ConvertedFile {
  name: string;
  data: Uint8Array;
}
export interface ConvertOptions {
  /** File name stem for the outputs (default "model"): model.obj, model.mtl, model_texture0.png... */
  baseName?: string;
}

export async function convertGlb(
  bytes: Uint8Array,
  format: ConvertFormat,
  opts: ConvertOptions = {},
): Promise<{ files: ConvertedFile[] }> {
  const base = safeName(opts.baseName ?? 'model') || 'model';
  const header = checkGlbHeader(bytes);
  if (!header.ok) throw new Error(`Cannot convert: ${header.reason}`);
  if (format === 'glb') return { files: [{ name: `${base}.glb`, data: bytes }] };

  // gltf-transform would read external URIs from disk; library models never have them, but refuse anyway.
  const external = externalUrisOf(header.json);
  if (external.length > 0) throw new Error(`Cannot convert: the GLB refers to an external file (${external[0]})`);

  const doc = await readDocument(bytes, header.json);
  const meshes = collectWorldMeshes(doc);
  if (format === 'stl') return { files: [{ name: `${base}.stl`, data: writeStl(meshes) }] };
  return { files: writeObj(meshes, base) };
}

// ---- reading -----------------------------------------------------------------------------------

export async function readDocument(bytes: Uint8Array, json: unknown): Promise<Document> {
  const io = new NodeIO().setLogger(new Logger(Logger.Verbosity.ERROR)).registerExtensions(ALL_EXTENSIONS);
  const used = extensionsUsed(json);
  // Decoders are loaded only for files that need them (the Draco one is a sizeable wasm module).
  if (used.includes('KHR_draco_mesh_compression')) {
    const draco = createRequire(import.meta.url)('draco3dgltf') as { createDecoderModule(): Promise<unknown> };
    io.registerDependencies({ 'draco3d.decoder': await draco.createDecoderModule() });
  }
  if (used.includes('EXT_meshopt_compression') || used.includes('KHR_meshopt_compression')) {
    const { MeshoptDecoder } = await import('meshoptimizer');
    await MeshoptDecoder.ready;
    io.registerDependencies({ 'meshopt.decoder': MeshoptDecoder });
  }
  return io.readBinary(bytes);
}

function extensionsUsed(json: unknown): string[] {
  if (typeof json !== 'object' || json === null) return [];
  const used = (json as { extensionsUsed?: unknown }).extensionsUsed;
  return Array.isArray(used) ? used.filter((x): x is string => typeof x === 'string') : [];
}

/** One primitive baked into world space, as a plain triangle list. */
export interface WorldMesh {
  name: string;
  material: Material | null;
  positions: Float64Array; // xyz per vertex, world space
  normals: Float32Array | null; // xyz per vertex, world space, unit length
  uvs: Float32Array | null; // uv per vertex, glTF convention (v down)
  triangles: Uint32Array; // 3 vertex indices per triangle, counter-clockwise in world space
}

export function collectWorldMeshes(doc: Document): WorldMesh[] {
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const roots = scene ? scene.listChildren() : root.listNodes().filter((n) => !n.getParentNode());
  const out: WorldMesh[] = [];
  const visit = (node: Node) => {
    const mesh = node.getMesh();
    if (mesh) {
      const matrix = node.getWorldMatrix();
      const name = node.getName() || mesh.getName() || `mesh${out.length}`;
      for (const primitive of mesh.listPrimitives()) {
        const baked = bakePrimitive(primitive, matrix, name);
        if (baked) out.push(baked);
      }
    }
    for (const child of node.listChildren()) visit(child);
  };
  for (const node of roots) visit(node);
  return out;
}

function bakePrimitive(primitive: Primitive, m: readonly number[], name: string): WorldMesh | null {
  const position = primitive.getAttribute('POSITION');
  if (!position) return null;
  const triangles = triangleIndices(primitive, position.getCount());
  if (!triangles) return null;

  const count = position.getCount();
  const positions = new Float64Array(count * 3);
  const p: number[] = [];
  for (let i = 0; i < count; i++) {
    position.getElement(i, p);
    const [x = 0, y = 0, z = 0] = p;
    positions[i * 3] = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    positions[i * 3 + 1] = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    positions[i * 3 + 2] = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
  }

  // A mirroring transform (negative determinant) turns faces inside out; swap winding to undo it.
  const det =
    m[0]! * (m[5]! * m[10]! - m[9]! * m[6]!) -
    m[4]! * (m[1]! * m[10]! - m[9]! * m[2]!) +
    m[8]! * (m[1]! * m[6]! - m[5]! * m[2]!);
  if (det < 0) {
    for (let t = 0; t < triangles.length; t += 3) {
      const b = triangles[t + 1]!;
      triangles[t + 1] = triangles[t + 2]!;
      triangles[t + 2] = b;
    }
  }

  return {
    name,
    material: primitive.getMaterial(),
    positions,
    normals: bakeNormals(primitive, m, det),
    uvs: readUvs(primitive),
    triangles,
  };
}

/** Triangle list for TRIANGLES / TRIANGLE_STRIP / TRIANGLE_FAN; null for points and lines. */
function triangleIndices(primitive: Primitive, vertexCount: number): Uint32Array | null {
  const indexAccessor = primitive.getIndices();
  const n = indexAccessor ? indexAccessor.getCount() : vertexCount;
  const at = (i: number) => (indexAccessor ? indexAccessor.getScalar(i) : i);
  const mode = primitive.getMode();
  if (mode === 4) {
    const out = new Uint32Array(Math.floor(n / 3) * 3);
    for (let i = 0; i < out.length; i++) out[i] = at(i);
    return out;
  }
  if (mode === 5 || mode === 6) {
    const count = Math.max(0, n - 2);
    const out = new Uint32Array(count * 3);
    for (let i = 0; i < count; i++) {
      if (mode === 5) {
        // glTF strip order: even triangles (i, i+1, i+2), odd ones (i+1, i, i+2) keep the winding.
        const odd = i % 2;
        out.set([at(i + odd), at(i + 1 - odd), at(i + 2)], i * 3);
      } else {
        out.set([at(i + 1), at(i + 2), at(0)], i * 3);
      }
    }
    return out;
  }
  return null;
}

function bakeNormals(primitive: Primitive, m: readonly number[], det: number): Float32Array | null {
  const normal = primitive.getAttribute('NORMAL');
  if (!normal || det === 0) return null;
  // Normal matrix: inverse transpose of the upper 3x3 = cofactor matrix / determinant.
  const c = [
    (m[5]! * m[10]! - m[6]! * m[9]!) / det,
    (m[6]! * m[8]! - m[4]! * m[10]!) / det,
    (m[4]! * m[9]! - m[5]! * m[8]!) / det,
    (m[2]! * m[9]! - m[1]! * m[10]!) / det,
    (m[0]! * m[10]! - m[2]! * m[8]!) / det,
    (m[1]! * m[8]! - m[0]! * m[9]!) / det,
    (m[1]! * m[6]! - m[2]! * m[5]!) / det,
    (m[2]! * m[4]! - m[0]! * m[6]!) / det,
    (m[0]! * m[5]! - m[1]! * m[4]!) / det,
  ];
  const count = normal.getCount();
  const out = new Float32Array(count * 3);
  const v: number[] = [];
  for (let i = 0; i < count; i++) {
    normal.getElement(i, v);
    const [x = 0, y = 0, z = 0] = v;
    // c is that matrix stored column-major, like m.
    const nx = c[0]! * x + c[3]! * y + c[6]! * z;
    const ny = c[1]! * x + c[4]! * y + c[7]! * z;
    const nz = c[2]! * x + c[5]! * y + c[8]! * z;
    const len = Math.hypot(nx, ny, nz) || 1;
    out.set([nx / len, ny / len, nz / len], i * 3);
  }
  return out;
}

function readUvs(primitive: Primitive): Float32Array | null {
  const uv = primitive.getAttribute('TEXCOORD_0');
  if (!uv) return null;
  const count = uv.getCount();
  const out = new Float32Array(count * 2);
  const v: number[] = [];
  for (let i = 0; i < count; i++) {
    uv.getElement(i, v);
    out[i * 2] = v[0] ?? 0;
    out[i * 2 + 1] = v[1] ?? 0;
  }
  return out;
}

// ---- STL ---------------------------------------------------------------------------------------

/**
 * Binary STL: 80-byte header, triangle count, then 50 bytes per triangle (normal, 3 vertices, 0).
 * `scale` converts metres to the file's unit (1000 for millimetres).
 */
export function writeStl(meshes: readonly WorldMesh[], scale = 1, unitLabel = 'glTF metres'): Uint8Array {
  const total = meshes.reduce((sum, mesh) => sum + mesh.triangles.length / 3, 0);
  const out = new Uint8Array(84 + total * 50);
  const dv = new DataView(out.buffer);
  // Must not start with "solid": some readers would then take the file for ASCII STL.
  out.set(new TextEncoder().encode(`Binary STL exported by Image2Model (units: ${unitLabel})`.padEnd(80, ' ')).subarray(0, 80));
  dv.setUint32(80, total, true);
  let at = 84;
  for (const { positions: p, triangles } of meshes) {
    for (let t = 0; t < triangles.length; t += 3) {
      const a = triangles[t]! * 3;
      const b = triangles[t + 1]! * 3;
      const c = triangles[t + 2]! * 3;
      const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
      const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
      const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      const len = Math.hypot(nx, ny, nz) || 1;
      const floats = [nx / len, ny / len, nz / len, p[a]! * scale, p[a + 1]! * scale, p[a + 2]! * scale, p[b]! * scale, p[b + 1]! * scale, p[b + 2]! * scale, p[c]! * scale, p[c + 1]! * scale, p[c + 2]! * scale];
      for (const f of floats) {
        dv.setFloat32(at, f, true);
        at += 4;
      }
      dv.setUint16(at, 0, true);
      at += 2;
    }
  }
  return out;
}

// ---- OBJ + MTL ---------------------------------------------------------------------------------

const IMAGE_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/ktx2': 'ktx2',
};

/** `scale` converts metres to the file's unit. */
export function writeObj(meshes: readonly WorldMesh[], base: string, scale = 1): ConvertedFile[] {
  const materialNames = new Map<Material, string>();
  const usedNames = new Set<string>();
  for (const { material } of meshes) {
    if (!material || materialNames.has(material)) continue;
    const stem = safeName(material.getName()) || `material${materialNames.size}`;
    let name = stem;
    for (let i = 1; usedNames.has(name); i++) name = `${stem}_${i}`;
    usedNames.add(name);
    materialNames.set(material, name);
  }

  const lines: string[] = ['# Exported by Image2Model'];
  if (materialNames.size > 0) lines.push(`mtllib ${base}.mtl`);
  let vBase = 1;
  let vtBase = 1;
  let vnBase = 1;
  for (const mesh of meshes) {
    const { positions, normals, uvs, triangles } = mesh;
    const count = positions.length / 3;
    lines.push(`o ${safeName(mesh.name) || 'mesh'}`);
    for (let i = 0; i < count; i++) lines.push(`v ${num(positions[i * 3]! * scale)} ${num(positions[i * 3 + 1]! * scale)} ${num(positions[i * 3 + 2]! * scale)}`);
    // OBJ's v axis points up, glTF's down.
    if (uvs) for (let i = 0; i < count; i++) lines.push(`vt ${num(uvs[i * 2]!)} ${num(1 - uvs[i * 2 + 1]!)}`);
    if (normals) for (let i = 0; i < count; i++) lines.push(`vn ${num(normals[i * 3]!)} ${num(normals[i * 3 + 1]!)} ${num(normals[i * 3 + 2]!)}`);
    const materialName = mesh.material ? materialNames.get(mesh.material) : undefined;
    if (materialName) lines.push(`usemtl ${materialName}`);
    const ref = (i: number) => {
      const v = vBase + i;
      if (uvs && normals) return `${v}/${vtBase + i}/${vnBase + i}`;
      if (uvs) return `${v}/${vtBase + i}`;
      if (normals) return `${v}//${vnBase + i}`;
      return `${v}`;
    };
    for (let t = 0; t < triangles.length; t += 3) {
      lines.push(`f ${ref(triangles[t]!)} ${ref(triangles[t + 1]!)} ${ref(triangles[t + 2]!)}`);
    }
    vBase += count;
    if (uvs) vtBase += count;
    if (normals) vnBase += count;
  }
  const encoder = new TextEncoder();
  const files: ConvertedFile[] = [{ name: `${base}.obj`, data: encoder.encode(lines.join('\n') + '\n') }];
  if (materialNames.size > 0) {
    const { mtl, textures } = writeMtl(materialNames, base);
    files.push({ name: `${base}.mtl`, data: encoder.encode(mtl) }, ...textures);
  }
  return files;
}

function writeMtl(materialNames: ReadonlyMap<Material, string>, base: string): { mtl: string; textures: ConvertedFile[] } {
  const textureFiles = new Map<Texture, string>();
  const textures: ConvertedFile[] = [];
  const fileFor = (texture: Texture | null): string | null => {
    const image = texture?.getImage();
    if (!texture || !image) return null;
    const known = textureFiles.get(texture);
    if (known) return known;
    const name = `${base}_texture${textureFiles.size}.${IMAGE_EXTENSIONS[texture.getMimeType()] ?? 'bin'}`;
    textureFiles.set(texture, name);
    textures.push({ name, data: image });
    return name;
  };

  const lines: string[] = ['# Exported by Image2Model'];
  for (const [material, name] of materialNames) {
    const [r = 1, g = 1, b = 1, a = 1] = material.getBaseColorFactor();
    const [er = 0, eg = 0, eb = 0] = material.getEmissiveFactor();
    lines.push('', `newmtl ${name}`, `Kd ${num(r)} ${num(g)} ${num(b)}`, 'Ka 0 0 0', 'Ks 0 0 0', `Ke ${num(er)} ${num(eg)} ${num(eb)}`);
    lines.push(`d ${num(a)}`, 'illum 1');
    // PBR extension of MTL (read by Blender and others).
    lines.push(`Pr ${num(material.getRoughnessFactor())}`, `Pm ${num(material.getMetallicFactor())}`);
    const baseColor = fileFor(material.getBaseColorTexture());
    if (baseColor) lines.push(`map_Kd ${baseColor}`);
    const normalMap = fileFor(material.getNormalTexture());
    if (normalMap) lines.push(`map_Bump ${normalMap}`, `norm ${normalMap}`);
    const emissive = fileFor(material.getEmissiveTexture());
    if (emissive) lines.push(`map_Ke ${emissive}`);
  }
  return { mtl: lines.join('\n') + '\n', textures };
}

function num(x: number): string {
  // Fixed notation (no exponents, which some OBJ readers reject), trailing zeros trimmed.
  const s = x.toFixed(6);
  const trimmed = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

/** A name safe as a file name and as an OBJ/MTL token (no spaces, no path separators). */
export function safeName(name: string): string {
  return Array.from(name.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^[._]+|_+$/g, '')).slice(0, 64).join('');
}
