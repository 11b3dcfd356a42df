// Helpers for the library tests: GLB byte surgery, a throwaway temp folder, a tiny HTTP server.
import { Logger, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { draco, meshopt } from '@gltf-transform/functions';
import { MeshoptEncoder } from 'meshoptimizer';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Packs a glTF JSON object (and optional BIN payload) into a GLB container. */
export function packGlb(json: unknown, bin?: Uint8Array): Uint8Array {
  const pad4 = (n: number) => (n + 3) & ~3;
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonLength = pad4(jsonBytes.length);
  const binLength = bin ? pad4(bin.length) : 0;
  const total = 12 + 8 + jsonLength + (bin ? 8 + binLength : 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x46546c67, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonLength, true);
  dv.setUint32(16, 0x4e4f534a, true);
  out.set(jsonBytes, 20);
  out.fill(0x20, 20 + jsonBytes.length, 20 + jsonLength);
  if (bin) {
    const at = 20 + jsonLength;
    dv.setUint32(at, binLength, true);
    dv.setUint32(at + 4, 0x004e4942, true);
    out.set(bin, at + 8);
  }
  return out;
}

/** Splits a GLB into its JSON object and BIN chunk (for tests that edit the JSON). */
export function unpackGlb(glb: Uint8Array): { json: Record<string, unknown>; bin: Uint8Array | undefined } {
  const dv = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const jsonLength = dv.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as Record<string, unknown>;
  const at = 20 + jsonLength;
  const bin = at < glb.byteLength ? glb.slice(at + 8, at + 8 + dv.getUint32(at, true)) : undefined;
  return { json, bin };
}

export function setUint32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'i2m-library-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface TestServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with an ephemeral port; `handler` answers every request. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Re-encodes a GLB with Draco or meshopt geometry compression (as optimising tools would). */
export async function compressGlb(glb: Uint8Array, method: 'draco' | 'meshopt'): Promise<Uint8Array> {
  const draco3d = createRequire(import.meta.url)('draco3dgltf') as { createEncoderModule(): Promise<unknown> };
  await MeshoptEncoder.ready;
  const silent = new Logger(Logger.Verbosity.SILENT);
  const io = new NodeIO()
    .setLogger(silent)
    .registerExtensions(ALL_EXTENSIONS)
    .registerDependencies({ 'draco3d.encoder': await draco3d.createEncoderModule(), 'meshopt.encoder': MeshoptEncoder });
  const doc = await io.readBinary(glb);
  doc.setLogger(silent);
  await doc.transform(method === 'draco' ? draco() : meshopt({ encoder: MeshoptEncoder }));
  return io.writeBinary(doc);
}

/** A GLB whose one primitive (drawn as `mode`, triangles by default) is the Draco stream `stream`, its accessor claiming 3 points. */
export function glbWithDracoStream(stream: Uint8Array, mode = 4): Uint8Array {
  const bin = new Uint8Array((stream.byteLength + 3) & ~3);
  bin.set(stream);
  return packGlb(
    {
      asset: { version: '2.0' },
      extensionsUsed: ['KHR_draco_mesh_compression'],
      extensionsRequired: ['KHR_draco_mesh_compression'],
      buffers: [{ byteLength: bin.byteLength }],
      bufferViews: [{ buffer: 0, byteLength: stream.byteLength }],
      accessors: [{ componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [0, 0, 0] }],
      meshes: [{ primitives: [{ mode, attributes: { POSITION: 0 }, extensions: { KHR_draco_mesh_compression: { bufferView: 0, attributes: { POSITION: 0 } } } }] }],
      nodes: [{ mesh: 0 }],
      scenes: [{ nodes: [0] }],
      scene: 0,
    },
    bin,
  );
}
