import { Document, Format, NodeIO, Primitive } from '@gltf-transform/core';
import { EXTTextureWebP } from '@gltf-transform/extensions';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGlbHeader, externalUrisOf, validateGlb } from '../../../src/core/library/glb';
import { makeTestGlb, makeTestJpeg, makeTestPng } from '../../fixtures/make-glb';
import { compressGlb, packGlb, setUint32, startServer, unpackGlb, type TestServer } from './helpers';

/** What the fixture really built, read back independently with gltf-transform. */
async function builtCounts(glb: Uint8Array): Promise<{ triangles: number; vertices: number }> {
  const doc = await new NodeIO().readBinary(glb);
  let triangles = 0;
  let vertices = 0;
  for (const mesh of doc.getRoot().listMeshes()) {
    for (const prim of mesh.listPrimitives()) {
      triangles += (prim.getIndices()?.getCount() ?? 0) / 3;
      vertices += prim.getAttribute('POSITION')?.getCount() ?? 0;
    }
  }
  return { triangles, vertices };
}

describe('checkGlbHeader', () => {
  let glb: Uint8Array;
  beforeAll(async () => {
    glb = await makeTestGlb({ triangles: 200, textureSize: 32 });
  });

  it('accepts a valid GLB and returns its JSON', () => {
    const result = checkGlbHeader(glb);
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.json as { asset: { version: string } }).asset.version).toBe('2.0');
  });

  it('refuses a file without the glTF magic', () => {
    const bytes = glb.slice();
    bytes.set(new TextEncoder().encode('PK\x03\x04'), 0);
    expect(checkGlbHeader(bytes)).toEqual({ ok: false, reason: 'The file is not a GLB (missing glTF magic)' });
  });

  it('refuses a file too small to hold a header', () => {
    expect(checkGlbHeader(new Uint8Array([0x67, 0x6c, 0x54]))).toMatchObject({ ok: false, reason: expect.stringMatching(/too small/) });
  });

  it('refuses glTF version 1', () => {
    const result = checkGlbHeader(setUint32(glb, 4, 1));
    expect(result).toEqual({ ok: false, reason: 'The GLB is version 1; only glTF 2 is supported' });
  });

  it('refuses a truncated file, naming both lengths', () => {
    const cut = glb.slice(0, glb.byteLength - 100);
    expect(checkGlbHeader(cut)).toEqual({
      ok: false,
      reason: `The GLB is truncated: header says ${glb.byteLength} bytes, got ${glb.byteLength - 100}`,
    });
  });

  it('refuses trailing bytes beyond the declared length', () => {
    const longer = new Uint8Array(glb.byteLength + 8);
    longer.set(glb);
    expect(checkGlbHeader(longer)).toMatchObject({ ok: false, reason: expect.stringMatching(/trailing data/) });
  });

  it('refuses a first chunk that is not JSON', () => {
    expect(checkGlbHeader(setUint32(glb, 16, 0x004e4942))).toEqual({
      ok: false,
      reason: 'The GLB does not start with a JSON chunk',
    });
  });

  it('refuses a JSON chunk whose length does not fit', () => {
    expect(checkGlbHeader(setUint32(glb, 12, glb.byteLength))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/JSON chunk length/),
    });
  });

  it('refuses a JSON chunk that does not parse', () => {
    const bytes = glb.slice();
    bytes[20] = 'x'.charCodeAt(0); // the opening brace
    expect(checkGlbHeader(bytes)).toEqual({ ok: false, reason: "The GLB's JSON chunk is not valid JSON" });
  });

  it('refuses a BIN chunk that runs past the end', () => {
    const jsonLength = new DataView(glb.buffer, glb.byteOffset).getUint32(12, true);
    const binHeader = 20 + jsonLength;
    const result = checkGlbHeader(setUint32(glb, binHeader, glb.byteLength));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/runs past the end/) });
  });
});

describe('validateGlb', () => {
  it('accepts the fixture with the triangle and vertex counts it was built with', async () => {
    for (const triangles of [100, 5_000]) {
      const glb = await makeTestGlb({ triangles, textured: false });
      const built = await builtCounts(glb);
      const result = await validateGlb(glb);
      expect(result).toEqual({
        ok: true,
        stats: { triangles: built.triangles, vertices: built.vertices, materials: 1, textures: [], fileSize: glb.byteLength },
      });
    }
  });

  it('lists embedded textures with their pixel size, type and byte size', async () => {
    const glb = await makeTestGlb({ triangles: 200, textureSize: 128 });
    const png = await makeTestPng(128, 128, { seed: 1 });
    const result = await validateGlb(glb);
    if (!result.ok) throw new Error(result.reason);
    expect(result.stats.textures).toEqual([{ width: 128, height: 128, mimeType: 'image/png', bytes: png.byteLength }]);
  });

  it('counts strips and fans, ignores lines, and reads JPEG and WebP sizes', async () => {
    const doc = new Document();
    doc.createExtension(EXTTextureWebP).setRequired(true);
    const buffer = doc.createBuffer();
    const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 2, 0, 1, 2, 0]);
    const position = doc.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer);
    const uv = doc.createAccessor().setType('VEC2').setArray(new Float32Array(12)).setBuffer(buffer);
    const jpeg = await makeTestJpeg(64, 32);
    const webp = await sharp(await makeTestPng(40, 24)).webp({ lossless: true }).toBuffer();
    const a = doc.createMaterial('a').setBaseColorTexture(doc.createTexture().setImage(new Uint8Array(jpeg)).setMimeType('image/jpeg'));
    const b = doc.createMaterial('b').setBaseColorTexture(doc.createTexture().setImage(new Uint8Array(webp)).setMimeType('image/webp'));
    const prim = (mode: number | undefined) => doc.createPrimitive().setMode(mode as 4).setAttribute('POSITION', position);
    const mesh = doc
      .createMesh()
      .addPrimitive(prim(Primitive.Mode.TRIANGLE_STRIP).setAttribute('TEXCOORD_0', uv).setMaterial(a)) // 6 - 2 = 4
      .addPrimitive(prim(Primitive.Mode.TRIANGLE_FAN).setAttribute('TEXCOORD_0', uv).setMaterial(b)) // 6 - 2 = 4
      .addPrimitive(prim(Primitive.Mode.TRIANGLES)) // 6 / 3 = 2
      .addPrimitive(prim(Primitive.Mode.LINES)); // none
    doc.createScene().addChild(doc.createNode().setMesh(mesh));
    const glb = await new NodeIO().registerExtensions([EXTTextureWebP]).writeBinary(doc);

    const result = await validateGlb(glb);
    if (!result.ok) throw new Error(`${result.reason} ${result.issues?.join('; ')}`);
    expect(result.stats).toMatchObject({ triangles: 10, vertices: 6, materials: 2, fileSize: glb.byteLength });
    expect(result.stats.textures).toEqual([
      { width: 64, height: 32, mimeType: 'image/jpeg', bytes: jpeg.byteLength },
      { width: 40, height: 24, mimeType: 'image/webp', bytes: webp.byteLength },
    ]);
  });

  it('accepts Draco and meshopt compressed meshes with the same triangle count', async () => {
    const glb = await makeTestGlb({ triangles: 800, textureSize: 32 });
    const built = await builtCounts(glb);
    for (const method of ['draco', 'meshopt'] as const) {
      const result = await validateGlb(await compressGlb(glb, method));
      if (!result.ok) throw new Error(result.reason);
      expect(result.stats.triangles).toBe(built.triangles);
      expect(result.stats.textures).toHaveLength(1);
    }
  });

  it('passes header problems through with the same plain reason', async () => {
    const glb = await makeTestGlb({ triangles: 100, textured: false });
    const result = await validateGlb(glb.slice(0, 50));
    expect(result).toEqual({ ok: false, reason: `The GLB is truncated: header says ${glb.byteLength} bytes, got 50` });
  });

  it('refuses a well-formed container whose glTF content is invalid, listing the issues', async () => {
    const glb = await makeTestGlb({ triangles: 100, textured: false });
    const { json, bin } = unpackGlb(glb);
    // Point the index accessor past the end of its buffer view.
    const accessors = json.accessors as { count: number }[];
    accessors[accessors.length - 1]!.count *= 10;
    const result = await validateGlb(packGlb(json, bin));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/^The GLB is not valid glTF: /);
    expect(result.issues?.length).toBeGreaterThan(0);
  });

  describe('external resources', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer((_req, res) => res.end(Buffer.alloc(1024)));
    });
    afterAll(() => server.close());

    it('refuses a GLB whose buffer lives at an external URI, without fetching it', async () => {
      // Build with gltf-transform: a GLB JSON whose only buffer points to our server.
      const doc = new Document();
      const buffer = doc.createBuffer().setURI('evil.bin');
      const position = doc.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])).setBuffer(buffer);
      doc.createScene().addChild(doc.createNode().setMesh(doc.createMesh().addPrimitive(doc.createPrimitive().setAttribute('POSITION', position))));
      const { json } = await new NodeIO().writeJSON(doc, { format: Format.GLB });
      const url = `${server.url}/evil.bin`;
      json.buffers![0]!.uri = url;
      const glb = packGlb(json);

      const result = await validateGlb(glb);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe(`The GLB refers to an external file (${url}), which is not allowed: models must be self-contained`);
      expect(server.requests).toEqual([]);
      expect(externalUrisOf(json)).toEqual([url]);
    });

    it('refuses an image at an external URI, without fetching it', async () => {
      const glb = await makeTestGlb({ triangles: 100, textureSize: 16 });
      const { json, bin } = unpackGlb(glb);
      const images = json.images as Record<string, unknown>[];
      delete images[0]!.bufferView;
      images[0]!.uri = `${server.url}/texture.png`;
      const result = await validateGlb(packGlb(json, bin));
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/external file/) });
      expect(server.requests).toEqual([]);
    });
  });
});
