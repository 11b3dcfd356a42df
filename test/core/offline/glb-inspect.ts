// Test helpers: run the Khronos validator and look at a relief GLB's geometry.
import { createRequire } from 'node:module';
import { NodeIO, type Document } from '@gltf-transform/core';

interface ValidatorReport {
  issues: { numErrors: number; numWarnings: number; messages: Array<{ code: string; message: string; severity: number }> };
  info?: { generator?: string };
}
const require = createRequire(import.meta.url);
const validator = require('gltf-validator') as { validateBytes(bytes: Uint8Array): Promise<ValidatorReport> };

export function validateGlb(glb: Uint8Array): Promise<ValidatorReport> {
  return validator.validateBytes(glb);
}

/** The GLB's JSON chunk as written (gltf-transform's reader does not keep asset.generator). */
export function glbJson(glb: Uint8Array): { asset: { generator?: string; extras?: Record<string, unknown> } } {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const length = view.getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + length)));
}

export function readGlb(glb: Uint8Array): Promise<Document> {
  return new NodeIO().readBinary(glb);
}

export interface WeldedMesh {
  positions: number[][];
  triangles: Array<[number, number, number]>;
}

/** All primitives merged, vertices with the same position merged into one. */
export function weld(doc: Document): WeldedMesh {
  const positions: number[][] = [];
  const byKey = new Map<string, number>();
  const triangles: Array<[number, number, number]> = [];
  for (const mesh of doc.getRoot().listMeshes()) {
    for (const primitive of mesh.listPrimitives()) {
      const position = primitive.getAttribute('POSITION')!.getArray()!;
      const indices = primitive.getIndices()!.getArray()!;
      const local: number[] = [];
      for (let v = 0; v < position.length / 3; v++) {
        const p = [position[v * 3]!, position[v * 3 + 1]!, position[v * 3 + 2]!];
        const key = p.join(',');
        let id = byKey.get(key);
        if (id === undefined) {
          id = positions.length;
          byKey.set(key, id);
          positions.push(p);
        }
        local.push(id);
      }
      for (let t = 0; t < indices.length; t += 3) {
        triangles.push([local[indices[t]!]!, local[indices[t + 1]!]!, local[indices[t + 2]!]!]);
      }
    }
  }
  return { positions, triangles };
}

export interface ClosureReport {
  /** Undirected edges not used by exactly two triangles. */
  badEdges: number;
  /** Directed edges used more than once or without their opposite: faces not wound consistently. */
  badDirections: number;
  edges: number;
  signedVolume: number;
}

export function checkClosed({ positions, triangles }: WeldedMesh): ClosureReport {
  const n = positions.length;
  const undirected = new Map<number, number>();
  const directed = new Map<number, number>();
  let signedVolume = 0;
  for (const [a, b, c] of triangles) {
    for (const [u, v] of [[a, b], [b, c], [c, a]] as const) {
      const key = Math.min(u, v) * n + Math.max(u, v);
      undirected.set(key, (undirected.get(key) ?? 0) + 1);
      directed.set(u * n + v, (directed.get(u * n + v) ?? 0) + 1);
    }
    const [p, q, r] = [positions[a]!, positions[b]!, positions[c]!];
    signedVolume +=
      (p[0]! * (q[1]! * r[2]! - q[2]! * r[1]!) - p[1]! * (q[0]! * r[2]! - q[2]! * r[0]!) + p[2]! * (q[0]! * r[1]! - q[1]! * r[0]!)) / 6;
  }
  let badEdges = 0;
  for (const count of undirected.values()) if (count !== 2) badEdges++;
  let badDirections = 0;
  for (const [key, count] of directed) {
    const u = Math.floor(key / n);
    const v = key - u * n;
    if (count !== 1 || directed.get(v * n + u) !== 1) badDirections++;
  }
  return { badEdges, badDirections, edges: undirected.size, signedVolume };
}

export function bounds(positions: number[][]): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const p of positions) {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, p[k]!);
      max[k] = Math.max(max[k]!, p[k]!);
    }
  }
  return { min, max };
}
