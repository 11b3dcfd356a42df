// Embedded image headers readers refuse or would misread, refused before a model enters the library on
// both paths (a plain model's BIN chunk is not given to the Khronos validator: glb-data-checks). The
// plain path kept a PNG whose IHDR was cut short and a JPEG of 0 or 2 colour channels, which the full
// validator refuses; and neither path looked at a KTX2's level sizes, though three's KTX2 loader
// allocates what a Zstandard level declares it unpacks to.
import { Document, NodeIO } from '@gltf-transform/core';
import { KHRTextureBasisu } from '@gltf-transform/extensions';
import { createDefaultContainer, KHR_DF_MODEL_UASTC, KHR_SUPERCOMPRESSION_ZSTD, VK_FORMAT_R8G8B8A8_UNORM, VK_FORMAT_UNDEFINED, write, type VKFormat } from 'ktx-parse';
import { describe, expect, it } from 'vitest';
import { validateGlb } from '../../../src/core/library/glb';
import { withoutDataChunk } from '../../../src/core/library/glb-data-checks';
import { makeTestGlb, makeTestJpeg } from '../../fixtures/make-glb';
import { packGlb, unpackGlb } from './helpers';

type View = { byteOffset?: number; byteLength: number };
type Json = Record<string, unknown> & { bufferViews: View[]; images: { bufferView: number; mimeType?: string }[] };

/** The GLB with a third chunk of an unknown type: it leaves the plain path, so the full validator reads its data. */
function withExtraChunk(glb: Uint8Array): Uint8Array {
  const out = new Uint8Array(glb.byteLength + 12);
  out.set(glb);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, out.byteLength, true);
  dv.setUint32(glb.byteLength, 4, true);
  dv.setUint32(glb.byteLength + 4, 0x54534554, true); // 'TEST'
  return out;
}

async function textured() {
  const { json, bin } = unpackGlb(await makeTestGlb({ triangles: 200, textured: true, textureSize: 16 }));
  const image = (json as Json).images[0]!;
  const view = (json as Json).bufferViews[image.bufferView]!;
  return { json: json as Json, bin: bin!, image, at: view.byteOffset ?? 0, room: view.byteLength };
}

/** The model both ways it can be checked: on the plain path (JSON to the validator) and whole. */
function bothPaths(json: Json, bin: Uint8Array): [string, Uint8Array][] {
  const plain = packGlb(json, bin);
  expect(withoutDataChunk(plain, json, bin)).not.toBeNull();
  return [['plain', plain], ['whole', withExtraChunk(plain)]];
}

async function reasons(json: Json, bin: Uint8Array): Promise<string[]> {
  return Promise.all(bothPaths(json, bin).map(async ([path, glb]) => {
    const result = await validateGlb(glb);
    return result.ok ? `${path}: accepted` : result.reason;
  }));
}

/** The model with a JPEG in its texture's place (declared so), and the JPEG's offset in the BIN chunk. */
async function withJpeg() {
  const model = await textured();
  const jpeg = await makeTestJpeg(8, 8);
  if (jpeg.byteLength > model.room) throw new Error('the test JPEG does not fit the PNG view');
  model.bin.set(jpeg, model.at);
  model.image.mimeType = 'image/jpeg';
  let sof = 2;
  while (!(jpeg[sof] === 0xff && jpeg[sof + 1] === 0xc0)) sof++;
  return { ...model, sof: model.at + sof };
}

describe('embedded image headers', () => {
  it('keeps the fixtures: a PNG and a JPEG texture', async () => {
    const png = await textured();
    const jpeg = await withJpeg();
    for (const { json, bin } of [png, jpeg]) expect(await reasons(json, bin)).toEqual(['plain: accepted', 'whole: accepted']);
  });

  it('refuses a PNG whose IHDR chunk is cut short (8 bytes, not 13)', async () => {
    const { json, bin, at } = await textured();
    new DataView(bin.buffer, bin.byteOffset).setUint32(at + 8, 8);
    for (const reason of await reasons(json, bin)) expect(reason).toBe("The GLB's image 0 is a damaged PNG: its IHDR chunk is 8 bytes long, not 13");
  });

  for (const channels of [0, 2, 4]) {
    it(`refuses a JPEG of ${channels} colour channels`, async () => {
      const { json, bin, sof } = await withJpeg();
      bin[sof + 9] = channels;
      for (const reason of await reasons(json, bin)) expect(reason).toBe(`The GLB's image 0 is a damaged JPEG: it has ${channels} colour channels; glTF readers take 1 (grey) or 3 (colour)`);
    });
  }

  it('refuses a JPEG whose marker segment declares less than its own length', async () => {
    const { json, bin, at } = await withJpeg();
    bin[at + 4] = 0;
    bin[at + 5] = 1; // the APP0 segment after SOI: length 1
    for (const reason of await reasons(json, bin)) expect(reason).toMatch(/^The GLB's image 0 is a damaged JPEG: a marker segment declares 1 bytes/);
  });
});

/** A quad textured by a 4 x 4 KTX2 whose one level is Zstandard-packed and declares `unpacked` bytes. */
async function ktx2Model(unpacked: number, vkFormat: VKFormat = VK_FORMAT_UNDEFINED): Promise<{ json: Json; bin: Uint8Array }> {
  const container = createDefaultContainer();
  container.vkFormat = vkFormat;
  container.pixelWidth = 4;
  container.pixelHeight = 4;
  container.supercompressionScheme = KHR_SUPERCOMPRESSION_ZSTD;
  container.dataFormatDescriptor[0]!.colorModel = KHR_DF_MODEL_UASTC;
  container.levels = [{ levelData: new Uint8Array(16).fill(0x5a), uncompressedByteLength: unpacked }];
  const doc = new Document();
  doc.createExtension(KHRTextureBasisu).setRequired(true);
  const buffer = doc.createBuffer();
  const accessor = (type: 'VEC3' | 'VEC2' | 'SCALAR', array: Float32Array | Uint16Array) => doc.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const texture = doc.createTexture('ktx2').setImage(write(container)).setMimeType('image/ktx2');
  const primitive = doc
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', new Float32Array([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0])))
    .setAttribute('TEXCOORD_0', accessor('VEC2', new Float32Array([0, 1, 1, 1, 1, 0, 0, 0])))
    .setIndices(accessor('SCALAR', new Uint16Array([0, 1, 2, 0, 2, 3])))
    .setMaterial(doc.createMaterial('ktx2').setBaseColorTexture(texture));
  doc.createScene().addChild(doc.createNode().setMesh(doc.createMesh().addPrimitive(primitive)));
  const { json, bin } = unpackGlb(await new NodeIO().registerExtensions([KHRTextureBasisu]).writeBinary(doc));
  return { json: json as Json, bin: bin! };
}

describe('KTX2 level sizes', () => {
  it('keeps a Zstandard level that unpacks to its 4 x 4 pixels (one 16-byte UASTC block)', async () => {
    const { json, bin } = await ktx2Model(16);
    expect(await reasons(json, bin)).toEqual(['plain: accepted', 'whole: accepted']);
  });

  it('refuses a Zstandard level declaring a gigabyte for its 4 x 4 pixels (the loader allocates what it declares)', async () => {
    const { json, bin } = await ktx2Model(2 ** 30);
    for (const reason of await reasons(json, bin)) {
      expect(reason).toBe("The GLB's image 0 is a damaged KTX2: level 0 declares 1073741824 bytes once unpacked; a 4 x 4 level of its format is 16");
    }
  });

  it('holds raw formats to their texel size (RGBA8: 4 bytes a pixel)', async () => {
    const exact = await ktx2Model(64, VK_FORMAT_R8G8B8A8_UNORM);
    expect(await reasons(exact.json, exact.bin)).toEqual(['plain: accepted', 'whole: accepted']);
    const over = await ktx2Model(65, VK_FORMAT_R8G8B8A8_UNORM);
    for (const reason of await reasons(over.json, over.bin)) expect(reason).toMatch(/level 0 declares 65 bytes once unpacked; a 4 x 4 level of its format is 64$/);
  });
});
