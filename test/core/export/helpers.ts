// Reading export outputs back: GLB bounds and triangles, binary STL, 3MF and USDZ zips.
import { getBounds } from '@gltf-transform/functions';
import { unzipSync } from 'fflate';
import { createRequire } from 'node:module';
import { readGlb } from '../../../src/core/export/io';
import { countTriangles, textureSizes } from '../../../src/core/export/measure';

const validator = createRequire(import.meta.url)('gltf-validator') as {
  validateBytes(data: Uint8Array): Promise<{ issues: { numErrors: number; messages: { code: string; message: string; severity: number }[] } }>;
};

export async function validatorErrors(glb: Uint8Array): Promise<string[]> {
  const report = await validator.validateBytes(glb);
  return report.issues.messages.filter((m) => m.severity === 0).map((m) => `${m.code}: ${m.message}`);
}

export interface Box {
  min: number[];
  max: number[];
}

export async function inspectGlb(glb: Uint8Array) {
  const doc = await readGlb(glb);
  const scene = doc.getRoot().getDefaultScene() ?? doc.getRoot().listScenes()[0]!;
  const box: Box = getBounds(scene);
  return {
    box,
    triangles: countTriangles(doc),
    textures: textureSizes(doc),
    extensions: doc.getRoot().listExtensionsUsed().map((e) => e.extensionName),
  };
}

export const sizeOf = (box: Box) => box.max.map((v, i) => v - box.min[i]!);
export const centreOf = (box: Box) => box.max.map((v, i) => (v + box.min[i]!) / 2);

/** Binary STL back into its triangle count and vertex bounding box. */
export function readStl(bytes: Uint8Array): { triangles: number; box: Box; header: string } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const triangles = dv.getUint32(80, true);
  if (bytes.byteLength !== 84 + triangles * 50) throw new Error('STL length does not match its triangle count');
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let t = 0; t < triangles; t++) {
    for (let v = 0; v < 3; v++) {
      for (let axis = 0; axis < 3; axis++) {
        const value = dv.getFloat32(84 + t * 50 + 12 + v * 12 + axis * 4, true);
        min[axis] = Math.min(min[axis]!, value);
        max[axis] = Math.max(max[axis]!, value);
      }
    }
  }
  return { triangles, box: { min, max }, header: new TextDecoder().decode(bytes.subarray(0, 80)) };
}

/** A 3MF package back into its unit, vertices and triangles (checked against the core schema's shape). */
export function read3mf(bytes: Uint8Array) {
  const files = unzipSync(bytes);
  const names = Object.keys(files);
  const model = new TextDecoder().decode(files['3D/3dmodel.model']);
  const unit = /<model[^>]*\sunit="([a-z]+)"/.exec(model)?.[1];
  const ns = /<model[^>]*\sxmlns="([^"]+)"/.exec(model)?.[1];
  const vertices = [...model.matchAll(/<vertex x="([-\d.]+)" y="([-\d.]+)" z="([-\d.]+)"\/>/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
  const triangles = [...model.matchAll(/<triangle v1="(\d+)" v2="(\d+)" v3="(\d+)"\/>/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
  const min = [0, 1, 2].map((a) => Math.min(...vertices.map((v) => v[a]!)));
  const max = [0, 1, 2].map((a) => Math.max(...vertices.map((v) => v[a]!)));
  return {
    names,
    unit,
    ns,
    vertices,
    triangles,
    box: { min, max },
    contentTypes: new TextDecoder().decode(files['[Content_Types].xml']),
    rels: new TextDecoder().decode(files['_rels/.rels']),
  };
}

/** Zip local entries in order with where each one's data starts (USDZ needs 64-byte alignment). */
export function zipEntries(bytes: Uint8Array): { name: string; dataOffset: number; method: number; size: number }[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { name: string; dataOffset: number; method: number; size: number }[] = [];
  let at = 0;
  while (at + 30 <= bytes.byteLength && dv.getUint32(at, true) === 0x04034b50) {
    const method = dv.getUint16(at + 8, true);
    const size = dv.getUint32(at + 18, true);
    const nameLength = dv.getUint16(at + 26, true);
    const extraLength = dv.getUint16(at + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength));
    const dataOffset = at + 30 + nameLength + extraLength;
    out.push({ name, dataOffset, method, size });
    at = dataOffset + size;
  }
  return out;
}
