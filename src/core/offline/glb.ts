// Packs the relief mesh and the photo into a single GLB with @gltf-transform/core.
import { Document, NodeIO, type Primitive } from '@gltf-transform/core';
import type { MeshPart, ReliefMesh } from './mesh';

export const RELIEF_GENERATOR = 'Image2Model Relief (offline)';

// WebGL enum values used by glTF samplers (the photo must not wrap around at the outline).
const GL_CLAMP_TO_EDGE = 33071;
const GL_LINEAR = 9729;
const GL_LINEAR_MIPMAP_LINEAR = 9987;

export interface EncodedTexture {
  bytes: Uint8Array;
  mimeType: 'image/jpeg' | 'image/png';
}

export interface GlbContent {
  mesh: ReliefMesh;
  photo: EncodedTexture;
  /** Linear RGB for the back and the walls. */
  shellColour: [number, number, number];
  /** Goes into asset.extras so anyone opening the file learns how it was made. */
  extras: Record<string, string | number>;
}

export async function writeReliefGlb(content: GlbContent): Promise<Uint8Array> {
  const doc = new Document();
  const asset = doc.getRoot().getAsset();
  asset.generator = RELIEF_GENERATOR;
  asset.extras = { ...content.extras };
  const buffer = doc.createBuffer();

  const photo = doc
    .createTexture('photo')
    .setImage(content.photo.bytes)
    .setMimeType(content.photo.mimeType);
  const photoMaterial = doc
    .createMaterial('Photo')
    .setBaseColorTexture(photo)
    .setMetallicFactor(0)
    .setRoughnessFactor(0.9);
  const sampler = photoMaterial.getBaseColorTextureInfo();
  sampler
    ?.setWrapS(GL_CLAMP_TO_EDGE)
    .setWrapT(GL_CLAMP_TO_EDGE)
    .setMagFilter(GL_LINEAR)
    .setMinFilter(GL_LINEAR_MIPMAP_LINEAR);
  const shellMaterial = doc
    .createMaterial('Back and sides')
    .setBaseColorFactor([...content.shellColour, 1])
    .setMetallicFactor(0)
    .setRoughnessFactor(0.9);

  const frontPrimitive = primitiveOf(doc, buffer, content.mesh.front)
    .setAttribute('TEXCOORD_0', doc.createAccessor().setType('VEC2').setArray(content.mesh.front.uvs).setBuffer(buffer))
    .setMaterial(photoMaterial);
  const shellPrimitive = primitiveOf(doc, buffer, content.mesh.shell).setMaterial(shellMaterial);
  const mesh = doc.createMesh('Relief').addPrimitive(frontPrimitive).addPrimitive(shellPrimitive);
  const node = doc.createNode('Relief').setMesh(mesh);
  doc.createScene('Scene').addChild(node);
  doc.getRoot().setDefaultScene(doc.getRoot().listScenes()[0]!);

  return new NodeIO().writeBinary(doc);
}

function primitiveOf(doc: Document, buffer: ReturnType<Document['createBuffer']>, part: MeshPart): Primitive {
  const vertexCount = part.positions.length / 3;
  const indices = vertexCount <= 65535 ? Uint16Array.from(part.indices) : part.indices;
  return doc
    .createPrimitive()
    .setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(part.positions).setBuffer(buffer))
    .setAttribute('NORMAL', doc.createAccessor().setType('VEC3').setArray(part.normals).setBuffer(buffer))
    .setIndices(doc.createAccessor().setType('SCALAR').setArray(indices).setBuffer(buffer));
}
