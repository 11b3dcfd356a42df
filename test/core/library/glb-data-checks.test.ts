// A plain model's vertex data is checked by glb-data-checks, not by the Khronos validator (which then
// sees only the JSON): every defect that matters to a reader is still refused, on that path and on
// the full validator's path, and the figures are the ones a full check gives.
import { describe, expect, it } from 'vitest';
import { validateGlb } from '../../../src/core/library/glb';
import { dataProblem, withoutDataChunk } from '../../../src/core/library/glb-data-checks';
import { makeTestGlb, makeTestJpeg } from '../../fixtures/make-glb';
import { packGlb, unpackGlb } from './helpers';

type Json = Record<string, unknown> & { accessors: Accessor[]; bufferViews: View[]; meshes: { primitives: Primitive[] }[]; images?: Image[] };
type Accessor = { bufferView?: number; byteOffset?: number; componentType: number; count: number; type: string; min?: number[]; max?: number[] };
type View = { byteOffset?: number; byteLength: number; byteStride?: number };
type Primitive = { attributes: Record<string, number>; indices?: number };
type Image = { bufferView?: number; mimeType?: string };

async function fixture(textured = false) {
  const { json, bin } = unpackGlb(await makeTestGlb({ triangles: 200, textured, textureSize: 16 }));
  return { json: json as Json, bin: bin! };
}

/** Byte offset of `component` of `element` of the accessor in the BIN chunk. */
function offsetOf(json: Json, accessorIndex: number, element: number, component = 0): number {
  const accessor = json.accessors[accessorIndex]!;
  const view = json.bufferViews[accessor.bufferView!]!;
  const size = accessor.componentType === 5126 || accessor.componentType === 5125 ? 4 : accessor.componentType >= 5122 ? 2 : 1;
  const components = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 }[accessor.type] ?? 1;
  const stride = view.byteStride ?? size * components;
  return (view.byteOffset ?? 0) + (accessor.byteOffset ?? 0) + element * stride + component * size;
}

const primitive = (json: Json) => json.meshes[0]!.primitives[0]!;

/**
 * The GLB with a third chunk of an unknown type (allowed by the spec, the validator only notes it):
 * such a file leaves the plain path, so the full validator reads its data.
 */
function withExtraChunk(glb: Uint8Array): Uint8Array {
  const out = new Uint8Array(glb.byteLength + 12);
  out.set(glb);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, out.byteLength, true);
  dv.setUint32(glb.byteLength, 4, true);
  dv.setUint32(glb.byteLength + 4, 0x54534554, true); // 'TEST'
  return out;
}

const pack = (json: Json, bin: Uint8Array, plain = true) => (plain ? packGlb(json, bin) : withExtraChunk(packGlb(json, bin)));

async function refusal(json: Json, bin: Uint8Array, plain = true): Promise<string> {
  const result = await validateGlb(pack(json, bin, plain));
  if (result.ok) throw new Error('the defective model was accepted');
  return result.reason;
}

/**
 * A quad whose POSITION is quantized (KHR_mesh_quantization: int16, 8-byte stride), drawn by
 * `primitives` primitives that share its indices.
 */
function quantizedQuad(primitives = 1): { json: Json; bin: Uint8Array } {
  const bin = new Uint8Array(32 + 12);
  const dv = new DataView(bin.buffer);
  [[0, 0], [100, 0], [0, 100], [100, 100]].forEach(([x, y], v) => (dv.setInt16(v * 8, x!, true), dv.setInt16(v * 8 + 2, y!, true)));
  new Uint16Array(bin.buffer, 32, 6).set([0, 1, 2, 2, 1, 3]);
  const json = {
    asset: { version: '2.0' },
    extensionsUsed: ['KHR_mesh_quantization'],
    extensionsRequired: ['KHR_mesh_quantization'],
    buffers: [{ byteLength: bin.byteLength }],
    bufferViews: [
      { buffer: 0, byteLength: 32, byteStride: 8, target: 34962 },
      { buffer: 0, byteOffset: 32, byteLength: 12, target: 34963 },
    ],
    accessors: [
      { bufferView: 0, componentType: 5122, count: 4, type: 'VEC3', min: [0, 0, 0], max: [100, 100, 0] },
      { bufferView: 1, componentType: 5123, count: 6, type: 'SCALAR' },
    ],
    meshes: [{ primitives: Array.from({ length: primitives }, () => ({ attributes: { POSITION: 0 }, indices: 1 })) }],
    nodes: [{ mesh: 0 }],
    scenes: [{ nodes: [0] }],
    scene: 0,
  };
  return { json, bin };
}

describe('plain models: vertex data checked here', () => {
  it('are the ones the fast path takes (a file with a third chunk is not)', async () => {
    const { json, bin } = await fixture(true);
    expect(withoutDataChunk(pack(json, bin), json, bin)).not.toBeNull();
    expect(withoutDataChunk(pack(json, bin, false), json, bin)).toBeNull();
  });

  it('gives the figures the full validator gives', async () => {
    const { json, bin } = await fixture(true);
    const fast = await validateGlb(pack(json, bin));
    const full = await validateGlb(pack(json, bin, false));
    if (!fast.ok || !full.ok) throw new Error('the fixture was refused');
    expect(fast.stats).toEqual({ ...full.stats, fileSize: fast.stats.fileSize });
    expect(full.stats.fileSize - fast.stats.fileSize).toBe(12);
  });

  for (const plain of [true, false]) {
    const path = plain ? 'checked here' : 'by the full validator';

    it(`refuses a position that is not a number (${path})`, async () => {
      const { json, bin } = await fixture();
      new DataView(bin.buffer).setFloat32(offsetOf(json, primitive(json).attributes.POSITION!, 5, 1), Number.NaN, true);
      expect(await refusal(json, bin, plain)).toMatch(/not valid glTF: .*(NaN|finite)/i);
    });

    it(`refuses an index past the last vertex (${path})`, async () => {
      const { json, bin } = await fixture();
      const indices = primitive(json).indices!;
      const vertices = json.accessors[primitive(json).attributes.POSITION!]!.count;
      const at = offsetOf(json, indices, 7);
      const dv = new DataView(bin.buffer);
      if (json.accessors[indices]!.componentType === 5123) dv.setUint16(at, vertices + 3, true);
      else dv.setUint32(at, vertices + 3, true);
      expect(await refusal(json, bin, plain)).toMatch(new RegExp(`not valid glTF: .*${vertices + 3}`));
    });

    it(`refuses POSITION bounds that are not the data's (three.js frames the model by them) (${path})`, async () => {
      const { json, bin } = await fixture();
      const position = json.accessors[primitive(json).attributes.POSITION!]!;
      position.max = position.max!.map((v) => v / 2);
      expect(await refusal(json, bin, plain)).toMatch(/not valid glTF: .*max/i);
    });

    it(`refuses quantized POSITION bounds that are not the data's (three.js frames and culls by them too) (${path})`, async () => {
      const { json, bin } = quantizedQuad();
      expect((await validateGlb(pack(json, bin, plain))).ok).toBe(true);
      json.accessors[0]!.min = [-30000, -30000, -30000];
      json.accessors[0]!.max = [30000, 30000, 30000];
      expect(await refusal(json, bin, plain)).toMatch(/not valid glTF: .*(min|minimum)/i);
    });
  }

  it('reads indices shared by many primitives once, against the fewest vertices among them', async () => {
    const { json, bin } = quantizedQuad(50);
    // A hostile model names one large indices accessor from thousands of primitives: read per primitive,
    // 2,000 primitives over a million indices took 12 s (the full validator 0.5 s). Count the reads.
    let reads = 0;
    json.accessors[1] = new Proxy(json.accessors[1]!, {
      get: (target, key) => (key === 'bufferView' && reads++, Reflect.get(target, key)),
    });
    expect(dataProblem(json, bin)).toBeNull();
    expect(reads).toBe(1);
    // The one read still holds every primitive to its own vertices: the last one here has 3.
    json.accessors.push({ bufferView: 0, componentType: 5122, count: 3, type: 'VEC3', min: [0, 0, 0], max: [100, 100, 0] });
    json.meshes[0]!.primitives[49]!.attributes.POSITION = 2;
    expect(dataProblem(json, bin)).toMatch(/primitives\/49 uses vertex 3; it has 3 vertices/);
  });

  it('reads a strided accessor into a copy no larger than its data', () => {
    // int8 VEC3 positions at a 4-byte stride (KHR_mesh_quantization), with bounds: copied as doubles,
    // the 32 MB view took 192 MB more. Its bytes, the copy alone, are 24 MB.
    const count = 8_000_000;
    const bin = new Uint8Array(count * 4);
    for (let i = 0; i < count; i++) bin.set([i % 100, 1, 2], i * 4);
    const view = { buffer: 0, byteLength: bin.byteLength, byteStride: 4 };
    const accessor = { bufferView: 0, componentType: 5120, count, type: 'VEC3', min: [0, 1, 2], max: [99, 1, 2] };
    const json = { buffers: [{ byteLength: bin.byteLength }], bufferViews: [view], accessors: [accessor], meshes: [] };
    const before = process.memoryUsage().arrayBuffers;
    expect(dataProblem(json, bin)).toBeNull();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    accessor.max = [98, 1, 2];
    expect(dataProblem(json, bin)).toMatch(/declares max 98 for component 0; its data's max is 99/);
  });

  it('refuses a primitive-restart index', async () => {
    const { json, bin } = await fixture();
    const indices = json.accessors[primitive(json).indices!]!;
    const at = offsetOf(json, primitive(json).indices!, 4);
    if (indices.componentType === 5123) new DataView(bin.buffer).setUint16(at, 0xffff, true);
    else new DataView(bin.buffer).setUint32(at, 0xffffffff, true);
    expect(await refusal(json, bin)).toMatch(/not valid glTF: .*(restart|vertex)/i);
  });

  it('refuses a BIN chunk shorter than the buffer it declares', async () => {
    const { json, bin } = await fixture();
    const buffers = json.buffers as { byteLength: number }[];
    buffers[0]!.byteLength += 64;
    expect(await refusal(json, bin)).toMatch(/not valid glTF: .*BIN chunk holds/);
  });

  it('refuses an image whose declared type is not its real one', async () => {
    const { json, bin } = await fixture(true);
    const image = json.images![0]!;
    const view = json.bufferViews[image.bufferView!]!;
    // A JPEG in the PNG's place, declared image/png (the view keeps its length: the JPEG is padded).
    const jpeg = await makeTestJpeg(8, 8);
    if (jpeg.byteLength > view.byteLength) throw new Error('the test JPEG does not fit the PNG view');
    bin.set(jpeg, view.byteOffset ?? 0);
    expect(await refusal(json, bin)).toMatch(/declared image\/png but is image\/jpeg/);
  });

  it('keeps a model whose normals are not of unit length (shading, not safety: the full validator refused it, paid)', async () => {
    const { json, bin } = await fixture();
    const normal = primitive(json).attributes.NORMAL!;
    const dv = new DataView(bin.buffer);
    for (let c = 0; c < 3; c++) dv.setFloat32(offsetOf(json, normal, 2, c), 0.9, true);
    expect((await validateGlb(pack(json, bin))).ok).toBe(true);
    expect((await validateGlb(pack(json, bin, false))).ok).toBe(false);
  });
});
