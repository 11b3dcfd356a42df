// Local conversion of a library GLB to OBJ (+MTL + texture images) or binary STL: reads the GLB
// (gltf-document), bakes its meshes into world space (world-mesh) and writes the format (stl, obj).
import { checkGlbHeader, externalUrisOf } from './glb';
import { safeName, writeObj } from './obj';
import { writeStl } from './stl';
import { collectWorldMeshes } from './world-mesh';

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

  // gltf-transform is loaded on first conversion, not by everything that imports the exporter (the CLI's list).
  const { readDocument } = await import('./gltf-document');
  const doc = await readDocument(bytes, header.json);
  const meshes = collectWorldMeshes(doc);
  if (format === 'stl') return { files: [{ name: `${base}.stl`, data: writeStl(meshes) }] };
  return { files: writeObj(meshes, base) };
}
