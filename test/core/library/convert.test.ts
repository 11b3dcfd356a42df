import { Document, Format, NodeIO, Primitive } from '@gltf-transform/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { convertGlb, type ConvertedFile } from '../../../src/core/library/export';
import { makeTestGlb } from '../../fixtures/make-glb';
import { compressGlb, packGlb, unpackGlb } from './helpers';

interface ParsedObj {
  v: number[][];
  vt: number[][];
  vn: number[][];
  faces: string[][];
  mtllib: string | null;
  usemtl: string[];
}

/** A small OBJ reader: enough to count elements and check that every face reference resolves. */
function parseObj(text: string): ParsedObj {
  const out: ParsedObj = { v: [], vt: [], vn: [], faces: [], mtllib: null, usemtl: [] };
  for (const line of text.split('\n')) {
    const [tag, ...rest] = line.trim().split(/\s+/);
    if (tag === 'v') out.v.push(rest.map(Number));
    else if (tag === 'vt') out.vt.push(rest.map(Number));
    else if (tag === 'vn') out.vn.push(rest.map(Number));
    else if (tag === 'f') out.faces.push(rest);
    else if (tag === 'mtllib') out.mtllib = rest.join(' ');
    else if (tag === 'usemtl') out.usemtl.push(rest.join(' '));
  }
  return out;
}

function parseStl(data: Uint8Array): { count: number; normals: number[][]; vertices: number[][] } {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = dv.getUint32(80, true);
  const normals: number[][] = [];
  const vertices: number[][] = [];
  for (let t = 0; t < count; t++) {
    const at = 84 + t * 50;
    const f = (k: number) => dv.getFloat32(at + k * 4, true);
    normals.push([f(0), f(1), f(2)]);
    vertices.push([f(3), f(4), f(5)], [f(6), f(7), f(8)], [f(9), f(10), f(11)]);
  }
  return { count, normals, vertices };
}

const text = (file: ConvertedFile | undefined) => new TextDecoder().decode(file?.data);
const byName = (files: ConvertedFile[], name: string) => files.find((f) => f.name === name);

async function fixtureCounts(glb: Uint8Array): Promise<{ triangles: number; vertices: number }> {
  const prim = (await new NodeIO().readBinary(glb)).getRoot().listMeshes()[0]!.listPrimitives()[0]!;
  return { triangles: prim.getIndices()!.getCount() / 3, vertices: prim.getAttribute('POSITION')!.getCount() };
}

/** One triangle (0,0,0) (1,0,0) (0,1,0) facing +z, under `parent` -> `child` transforms. */
async function triangleGlb(setup: (doc: Document, mesh: ReturnType<Document['createMesh']>) => void): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const position = doc.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])).setBuffer(buffer);
  const normal = doc.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1])).setBuffer(buffer);
  const mesh = doc.createMesh().addPrimitive(doc.createPrimitive().setAttribute('POSITION', position).setAttribute('NORMAL', normal));
  setup(doc, mesh);
  return new NodeIO().writeBinary(doc);
}

describe('convertGlb', () => {
  it('passes a GLB through unchanged', async () => {
    const glb = await makeTestGlb({ triangles: 100, textured: false });
    const { files } = await convertGlb(glb, 'glb', { baseName: 'chair' });
    expect(files).toEqual([{ name: 'chair.glb', data: glb }]);
  });

  it('writes an OBJ whose vertices and faces match the model, with MTL and texture', async () => {
    const glb = await makeTestGlb({ triangles: 800, textureSize: 64 });
    const built = await fixtureCounts(glb);
    const { files } = await convertGlb(glb, 'obj');
    expect(files.map((f) => f.name)).toEqual(['model.obj', 'model.mtl', 'model_texture0.png']);

    const obj = parseObj(text(byName(files, 'model.obj')));
    expect(obj.v).toHaveLength(built.vertices);
    expect(obj.vt).toHaveLength(built.vertices);
    expect(obj.vn).toHaveLength(built.vertices);
    expect(obj.faces).toHaveLength(built.triangles);
    expect(obj.mtllib).toBe('model.mtl');
    for (const face of obj.faces) {
      expect(face).toHaveLength(3);
      for (const ref of face) {
        const [v, vt, vn] = ref.split('/').map(Number);
        for (const [index, list] of [[v, obj.v], [vt, obj.vt], [vn, obj.vn]] as const) {
          expect(index).toBeGreaterThanOrEqual(1);
          expect(index).toBeLessThanOrEqual(list.length);
        }
      }
    }
    // The sphere has radius ~1 around the origin.
    for (const [x, y, z] of obj.v) expect(Math.hypot(x!, y!, z!)).toBeLessThan(1.5);

    const mtl = text(byName(files, 'model.mtl'));
    expect(mtl).toContain(`newmtl ${obj.usemtl[0]}`);
    expect(mtl).toContain('map_Kd model_texture0.png');
    const texture = await sharp(byName(files, 'model_texture0.png')!.data).metadata();
    expect([texture.format, texture.width, texture.height]).toEqual(['png', 64, 64]);
  });

  it('makes file names safe: no path separators, no spaces, letters kept', async () => {
    const glb = await makeTestGlb({ triangles: 100, textureSize: 16 });
    const names = (await convertGlb(glb, 'obj', { baseName: '../Stühl 2/椅子' })).files.map((f) => f.name);
    expect(names).toEqual(['Stühl_2_椅子.obj', 'Stühl_2_椅子.mtl', 'Stühl_2_椅子_texture0.png']);
  });

  it('writes a binary STL with one record per triangle', async () => {
    const glb = await makeTestGlb({ triangles: 800, textured: false });
    const built = await fixtureCounts(glb);
    const { files } = await convertGlb(glb, 'stl', { baseName: 'chair' });
    expect(files.map((f) => f.name)).toEqual(['chair.stl']);
    const data = files[0]!.data;
    expect(data.byteLength).toBe(84 + 50 * built.triangles);
    const stl = parseStl(data);
    expect(stl.count).toBe(built.triangles);
    expect(new TextDecoder().decode(data.subarray(0, 5))).not.toBe('solid');
    // Outward normals on a closed sphere point away from the centre.
    let outward = 0;
    for (let t = 0; t < stl.count; t++) {
      const n = stl.normals[t]!;
      const c = [0, 1, 2].map((k) => (stl.vertices[t * 3]![k]! + stl.vertices[t * 3 + 1]![k]! + stl.vertices[t * 3 + 2]![k]!) / 3);
      if (n[0]! * c[0]! + n[1]! * c[1]! + n[2]! * c[2]! > 0) outward++;
    }
    expect(outward).toBe(stl.count);
  });

  it('applies node transforms (parent and child) to positions and normals', async () => {
    const glb = await triangleGlb((doc, mesh) => {
      const child = doc.createNode('child').setMesh(mesh).setTranslation([10, 0, 0]).setScale([2, 2, 2]);
      // 90 degrees about +x: y -> z, z -> -y.
      const parent = doc.createNode('parent').setRotation([Math.SQRT1_2, 0, 0, Math.SQRT1_2]).addChild(child);
      doc.createScene().addChild(parent);
    });
    const obj = parseObj(text((await convertGlb(glb, 'obj')).files[0]));
    const expected = [[10, 0, 0], [12, 0, 0], [10, 0, 2]];
    obj.v.forEach((v, i) => v.forEach((c, k) => expect(c).toBeCloseTo(expected[i]![k]!, 5)));
    for (const n of obj.vn) {
      expect(n[0]).toBeCloseTo(0, 5);
      expect(n[1]).toBeCloseTo(-1, 5);
      expect(n[2]).toBeCloseTo(0, 5);
    }
    const stl = parseStl((await convertGlb(glb, 'stl')).files[0]!.data);
    expect(stl.count).toBe(1);
    stl.vertices.forEach((v, i) => v.forEach((c, k) => expect(c).toBeCloseTo(expected[i]![k]!, 5)));
    expect(stl.normals[0]![1]).toBeCloseTo(-1, 5);
  });

  it('keeps faces pointing outwards under a mirroring transform', async () => {
    const glb = await triangleGlb((doc, mesh) => {
      doc.createScene().addChild(doc.createNode().setMesh(mesh).setScale([1, 1, -1]));
    });
    const stl = parseStl((await convertGlb(glb, 'stl')).files[0]!.data);
    // The mirrored triangle faces -z: winding and normal must agree on that.
    expect(stl.normals[0]![2]).toBeCloseTo(-1, 5);
    const obj = parseObj(text((await convertGlb(glb, 'obj')).files[0]));
    expect(obj.vn[0]![2]).toBeCloseTo(-1, 5);
    expect(obj.faces[0]!.map((ref) => Number(ref.split('/')[0]))).toEqual([1, 3, 2]);
  });

  it('turns strips and fans into triangles and skips lines', async () => {
    const doc = new Document();
    const buffer = doc.createBuffer();
    const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 2, 0, 1, 2, 0]);
    const position = doc.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer);
    const mesh = doc.createMesh();
    for (const mode of [Primitive.Mode.TRIANGLE_STRIP, Primitive.Mode.TRIANGLE_FAN, Primitive.Mode.LINES]) {
      mesh.addPrimitive(doc.createPrimitive().setMode(mode!).setAttribute('POSITION', position));
    }
    doc.createScene().addChild(doc.createNode().setMesh(mesh));
    const glb = await new NodeIO().writeBinary(doc);

    const stl = parseStl((await convertGlb(glb, 'stl')).files[0]!.data);
    expect(stl.count).toBe(8);
    // The strip lies in the z=0 plane, counter-clockwise seen from +z: every triangle faces +z.
    for (const n of stl.normals.slice(0, 4)) expect(n[2]).toBeCloseTo(1, 5);
    const obj = parseObj(text((await convertGlb(glb, 'obj')).files[0]));
    expect(obj.faces).toHaveLength(8);
    expect(obj.v).toHaveLength(12); // the shared accessor is written once per primitive drawn
  });

  it('refuses a GLB that refers to external files, and a broken container', async () => {
    const doc = new Document();
    const buffer = doc.createBuffer().setURI('x.bin');
    const position = doc.createAccessor().setType('VEC3').setArray(new Float32Array(9)).setBuffer(buffer);
    doc.createScene().addChild(doc.createNode().setMesh(doc.createMesh().addPrimitive(doc.createPrimitive().setAttribute('POSITION', position))));
    const { json } = await new NodeIO().writeJSON(doc, { format: Format.GLB });
    json.buffers![0]!.uri = '../../secret.bin';
    await expect(convertGlb(packGlb(json), 'obj')).rejects.toThrow(/external file \(\.\.\/\.\.\/secret\.bin\)/);
    await expect(convertGlb(new Uint8Array(40), 'stl')).rejects.toThrow(/not a GLB/);
  });
});

describe('convertGlb with compressed geometry', () => {
  it('decodes Draco and meshopt meshes', async () => {
    const glb = await makeTestGlb({ triangles: 800, textured: false });
    const built = await fixtureCounts(glb);
    const cases = [
      { method: 'draco', extension: 'KHR_draco_mesh_compression' },
      { method: 'meshopt', extension: 'EXT_meshopt_compression' },
    ] as const;
    for (const { method, extension } of cases) {
      const compressed = await compressGlb(glb, method);
      expect(unpackGlb(compressed).json.extensionsUsed).toContain(extension);
      const stl = parseStl((await convertGlb(compressed, 'stl')).files[0]!.data);
      expect(stl.count).toBe(built.triangles);
      const obj = parseObj(text((await convertGlb(compressed, 'obj')).files[0]));
      expect(obj.faces).toHaveLength(built.triangles);
    }
  });
});
