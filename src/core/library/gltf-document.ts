// Reads a GLB into a glTF-Transform document, with the decoders its compression needs (Draco,
// meshopt) loaded only for files that use them.
import { createRequire } from 'node:module';
import { Logger, NodeIO, type Document } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';

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
