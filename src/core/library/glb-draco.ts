// Draco-compressed geometry in a GLB, checked before its reader decodes it (part of glb-budgets.ts's
// limits): the stream must be a triangle mesh, and what it decodes to must match its accessors.
import { createRequire } from 'node:module';
import { isRecord } from '../util/errors';
import { isWhole, list, num, str, TYPE_COMPONENTS } from './glb-json';

// A Draco stream says itself what it decodes to, whatever the glTF accessors claim, and the validator
// cannot look inside it. As a point cloud it compresses without limit: 58 bytes decode to 3 million
// points (a 592-byte GLB to 10 million, measured), and three's loader in the viewer decodes point
// clouds. glTF-Transform reads only Draco triangle meshes (an export fails on anything else), and
// models are meshes: the stream's geometry type (byte 7 after "DRACO" and the version) must be one.
const DRACO_MAGIC = 'DRACO';
const DRACO_TRIANGULAR_MESH = 1;

/** A reason when a KHR_draco_mesh_compression stream in the file is not a triangle mesh. */
export function dracoGeometryProblem(json: Record<string, unknown>, bin: Uint8Array | null): string | null {
  const decoded = new Map<number, Uint8Array | null>(); // data: URI buffers, each decoded once
  for (const mesh of list(json.meshes)) {
    for (const primitive of isRecord(mesh) ? list(mesh.primitives) : []) {
      const draco = isRecord(primitive) && isRecord(primitive.extensions) ? primitive.extensions.KHR_draco_mesh_compression : undefined;
      if (!isRecord(draco)) continue;
      const data = viewBytes(json, bin, num(draco.bufferView), decoded);
      // Data that cannot be found is the validator's to report.
      if (!data) continue;
      const magic = String.fromCharCode(...data.subarray(0, DRACO_MAGIC.length));
      if (magic !== DRACO_MAGIC || data.length < 8 || data[7] !== DRACO_TRIANGULAR_MESH) {
        return "The GLB's Draco-compressed data is not a triangle mesh (a point cloud or unreadable), which the app does not read";
      }
    }
  }
  return null;
}

// A stream whose header says "triangle mesh" may still hold nothing to decode (the header alone, or
// bytes that are no Draco mesh): it passed every check above and the validator, and the viewer and every
// export then failed on it ("Unknown geometry type", "Decoding failure"). Each stream is decoded once
// here, with the decoder exports use; point clouds were refused before (they decode without limit), and
// the meshes left are what the viewer decodes anyway.
//
// A stream that decodes may still not be the data the primitive describes: the extension's
// `attributes` name Draco attribute ids (POSITION: 0, ...) that may not be in the stream, and the
// primitive's accessors give counts the decoded mesh may not have. Readers trust both - glTF-Transform
// read a POSITION of no vertices from an id not in the stream, so exports wrote an empty or garbled
// mesh - so the decoded mesh is checked against them too.
interface DracoAttribute {
  ptr: number;
  unique_id(): number;
  num_components(): number;
}
interface DracoDecoderModule {
  Decoder: new () => {
    GetEncodedGeometryType(buffer: unknown): number;
    DecodeBufferToMesh(buffer: unknown, mesh: unknown): { ok(): boolean };
    GetAttribute(mesh: unknown, index: number): DracoAttribute;
  };
  DecoderBuffer: new () => { Init(data: Uint8Array, length: number): void };
  Mesh: new () => { ptr: number; num_points(): number; num_faces(): number; num_attributes(): number };
  TRIANGULAR_MESH: number;
  destroy(object: unknown): void;
}

/** What a Draco stream decodes to: its vertex and triangle counts, and the components of each attribute by unique id. */
interface DecodedDraco {
  points: number;
  faces: number;
  components: Map<number, number>;
}

/**
 * A reason when a KHR_draco_mesh_compression stream does not decode to a triangle mesh, or decodes to
 * one that is not what its primitive says (attribute ids not in it, other vertex or index counts,
 * another number of components): see above. Each stream is decoded once (primitives may share one).
 */
export async function dracoDecodeProblem(json: Record<string, unknown>, bin: Uint8Array | null): Promise<string | null> {
  const decoded = new Map<number, Uint8Array | null>();
  const streams = new Map<number, DecodedDraco | null>();
  const accessors = list(json.accessors);
  let module: DracoDecoderModule | null = null;
  for (const [m, mesh] of list(json.meshes).entries()) {
    for (const [p, primitive] of (isRecord(mesh) ? list(mesh.primitives) : []).entries()) {
      const draco = isRecord(primitive) && isRecord(primitive.extensions) ? primitive.extensions.KHR_draco_mesh_compression : undefined;
      if (!isRecord(primitive) || !isRecord(draco)) continue;
      const view = num(draco.bufferView);
      const data = viewBytes(json, bin, view, decoded);
      if (view === undefined || !data) continue; // the validator's to report
      if (!streams.has(view)) {
        module ??= await (createRequire(import.meta.url)('draco3dgltf') as { createDecoderModule(): Promise<DracoDecoderModule> }).createDecoderModule();
        streams.set(view, decodeDraco(module, data));
      }
      const stream = streams.get(view)!;
      if (!stream) {
        return `The GLB's Draco-compressed mesh data is empty or damaged (mesh ${m}, part ${p} does not decode to a triangle mesh), so the model could not be shown or exported - generate it again`;
      }
      const mismatch = dracoMismatch(primitive, draco, stream, accessors);
      if (mismatch) {
        return `The GLB's Draco-compressed mesh data does not match the model's description (mesh ${m}, part ${p}: ${mismatch}), so its shape could not be read reliably for showing or exporting - generate it again`;
      }
    }
  }
  return null;
}

/** How a primitive's description disagrees with its decoded Draco mesh, or null. */
function dracoMismatch(primitive: Record<string, unknown>, draco: Record<string, unknown>, stream: DecodedDraco, accessors: unknown[]): string | null {
  const attributes = isRecord(primitive.attributes) ? primitive.attributes : {};
  for (const [semantic, id] of Object.entries(isRecord(draco.attributes) ? draco.attributes : {})) {
    const components = isWhole(id) ? stream.components.get(id) : undefined;
    if (components === undefined) return `its ${semantic} is Draco attribute ${JSON.stringify(id)}, which its Draco data does not hold`;
    const accessor = accessors[num(attributes[semantic]) ?? -1];
    if (!isRecord(accessor)) continue; // the validator's to report
    const count = num(accessor.count);
    if (count !== undefined && count !== stream.points) return `its ${semantic} has ${count} vertices, its Draco data ${stream.points}`;
    const expected = TYPE_COMPONENTS[str(accessor.type) ?? ''];
    if (expected !== undefined && expected !== components) return `its ${semantic} has ${expected} components per vertex, its Draco data ${components}`;
  }
  const indices = accessors[num(primitive.indices) ?? -1];
  const indexCount = isRecord(indices) ? num(indices.count) : undefined;
  if (indexCount !== undefined && indexCount !== stream.faces * 3) return `it has ${indexCount} indices, its Draco data ${stream.faces * 3} (${stream.faces} triangles)`;
  return null;
}

function decodeDraco(module: DracoDecoderModule, data: Uint8Array): DecodedDraco | null {
  const decoder = new module.Decoder();
  const buffer = new module.DecoderBuffer();
  const mesh = new module.Mesh();
  try {
    buffer.Init(data, data.length);
    if (decoder.GetEncodedGeometryType(buffer) !== module.TRIANGULAR_MESH) return null;
    if (!decoder.DecodeBufferToMesh(buffer, mesh).ok() || mesh.ptr === 0) return null;
    const components = new Map<number, number>();
    for (let i = 0; i < mesh.num_attributes(); i++) {
      const attribute = decoder.GetAttribute(mesh, i);
      if (attribute.ptr !== 0) components.set(attribute.unique_id(), attribute.num_components());
    }
    return { points: mesh.num_points(), faces: mesh.num_faces(), components };
  } catch {
    return null; // the decoder failed inside (a RuntimeError from its wasm): it cannot be read either
  } finally {
    for (const object of [mesh, buffer, decoder]) module.destroy(object);
  }
}

/** The bytes of a buffer view in the BIN chunk or a base64 data: URI buffer, or null. */
function viewBytes(json: Record<string, unknown>, bin: Uint8Array | null, index: number | undefined, decoded: Map<number, Uint8Array | null>): Uint8Array | null {
  const view = index === undefined ? undefined : list(json.bufferViews)[index];
  if (!isRecord(view)) return null;
  const bufferIndex = num(view.buffer) ?? -1;
  const buffer = list(json.buffers)[bufferIndex];
  if (!isRecord(buffer)) return null;
  const uri = str(buffer.uri);
  if (uri !== undefined && !decoded.has(bufferIndex)) {
    const base64 = /^data:[^,]*;base64,(.*)$/s.exec(uri)?.[1];
    decoded.set(bufferIndex, base64 === undefined ? null : new Uint8Array(Buffer.from(base64, 'base64')));
  }
  const data = uri === undefined ? bin : decoded.get(bufferIndex)!;
  const offset = num(view.byteOffset) ?? 0;
  const length = num(view.byteLength) ?? 0;
  if (!data || offset < 0 || length < 0 || offset + length > data.byteLength) return null;
  return data.subarray(offset, offset + length);
}
