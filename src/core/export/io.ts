// Reading a library GLB into a glTF-Transform document and writing GLBs back, with the Draco and
// Meshopt codecs loaded only when a file needs them.
import { createRequire } from 'node:module';
import { Logger, NodeIO, type Document } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { MeshoptEncoder, MeshoptSimplifier } from 'meshoptimizer';
import { checkGlbHeader, externalUrisOf } from '../library/glb';
import { readDocument } from '../library/gltf-document';

export async function readGlb(bytes: Uint8Array): Promise<Document> {
  const header = checkGlbHeader(bytes);
  if (!header.ok) throw new Error(`Cannot export: ${header.reason}`);
  const external = externalUrisOf(header.json);
  if (external.length > 0) throw new Error(`Cannot export: the GLB refers to an external file (${external[0]})`);
  return readDocument(bytes, header.json);
}

interface DracoModule {
  createEncoderModule(): Promise<unknown>;
}
let dracoEncoder: Promise<unknown> | null = null;

function baseIo(): NodeIO {
  return new NodeIO().setLogger(new Logger(Logger.Verbosity.ERROR)).registerExtensions(ALL_EXTENSIONS);
}

/** Writes a GLB; compression extensions present in the document are encoded here. */
export async function writeGlb(doc: Document): Promise<Uint8Array> {
  const io = baseIo();
  const used = doc.getRoot().listExtensionsUsed().map((e) => e.extensionName);
  if (used.includes('KHR_draco_mesh_compression')) {
    dracoEncoder ??= (createRequire(import.meta.url)('draco3dgltf') as DracoModule).createEncoderModule();
    io.registerDependencies({ 'draco3d.encoder': await dracoEncoder });
  }
  if (used.includes('EXT_meshopt_compression')) {
    await MeshoptEncoder.ready;
    io.registerDependencies({ 'meshopt.encoder': MeshoptEncoder });
  }
  return io.writeBinary(doc);
}

export async function simplifier(): Promise<typeof MeshoptSimplifier> {
  await MeshoptSimplifier.ready;
  return MeshoptSimplifier;
}

export async function meshoptEncoder(): Promise<typeof MeshoptEncoder> {
  await MeshoptEncoder.ready;
  return MeshoptEncoder;
}
