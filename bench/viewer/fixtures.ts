// GLBs for the viewer's tests and benchmark, generated in code: textured spheres
// (test/fixtures/make-glb.ts), Draco / meshopt re-encodings, and one with a KTX2 texture.
import { Document, NodeIO } from '@gltf-transform/core';
import { KHRTextureBasisu } from '@gltf-transform/extensions';
// ktx-parse comes with @gltf-transform/extensions; it writes a KTX2 container without an encoder.
import { KHR_DF_MODEL_UASTC, KHR_SUPERCOMPRESSION_NONE, VK_FORMAT_UNDEFINED, createDefaultContainer, write } from 'ktx-parse';
import { compressGlb } from '../../test/core/library/helpers';
import { makeTestGlb, type TestGlbOptions } from '../../test/fixtures/make-glb';

export { makeTestGlb, type TestGlbOptions };

export function compressedGlb(method: 'draco' | 'meshopt', options: TestGlbOptions = {}): Promise<Uint8Array> {
  return makeTestGlb(options).then((glb) => compressGlb(glb, method));
}

/**
 * A 4x4 UASTC KTX2 texture (one block). Its pixel data is a placeholder, which is enough to make
 * three's KTX2Loader fetch the Basis transcoder and start its worker.
 */
function tinyKtx2(): Uint8Array {
  const container = createDefaultContainer();
  container.vkFormat = VK_FORMAT_UNDEFINED;
  container.pixelWidth = 4;
  container.pixelHeight = 4;
  container.supercompressionScheme = KHR_SUPERCOMPRESSION_NONE;
  const dfd = container.dataFormatDescriptor[0]!;
  dfd.colorModel = KHR_DF_MODEL_UASTC;
  dfd.texelBlockDimension = [3, 3, 0, 0];
  dfd.bytesPlane = [16, 0, 0, 0, 0, 0, 0, 0];
  dfd.samples = [{ bitOffset: 0, bitLength: 127, channelType: 0, samplePosition: [0, 0, 0, 0], sampleLower: 0, sampleUpper: 0xffffffff }];
  const block = new Uint8Array(16).fill(0x5a);
  container.levels = [{ levelData: block, uncompressedByteLength: block.byteLength }];
  return write(container);
}

/** A quad whose base colour is a KTX2 (KHR_texture_basisu) texture. */
export async function ktx2Glb(): Promise<Uint8Array> {
  const doc = new Document();
  doc.createExtension(KHRTextureBasisu).setRequired(true);
  const buffer = doc.createBuffer();
  const positions = new Float32Array([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0]);
  const uvs = new Float32Array([0, 1, 1, 1, 1, 0, 0, 0]);
  const indices = new Uint16Array([0, 1, 2, 0, 2, 3]);
  const texture = doc.createTexture('ktx2').setImage(tinyKtx2()).setMimeType('image/ktx2');
  const material = doc.createMaterial('ktx2').setBaseColorTexture(texture).setDoubleSided(true);
  const primitive = doc
    .createPrimitive()
    .setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer))
    .setAttribute('TEXCOORD_0', doc.createAccessor().setType('VEC2').setArray(uvs).setBuffer(buffer))
    .setIndices(doc.createAccessor().setType('SCALAR').setArray(indices).setBuffer(buffer))
    .setMaterial(material);
  doc.createScene().addChild(doc.createNode().setMesh(doc.createMesh().addPrimitive(primitive)));
  return new NodeIO().registerExtensions([KHRTextureBasisu]).writeBinary(doc);
}
