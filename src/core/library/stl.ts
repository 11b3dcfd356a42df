// Binary STL from world-space meshes.
import { checkMeshNumbers, FLOAT32_MAX } from './mesh-numbers';
import type { WorldMesh } from './world-mesh';

/**
 * Binary STL: 80-byte header, triangle count, then 50 bytes per triangle (normal, 3 vertices, 0).
 * `scale` converts metres to the file's unit (1000 for millimetres).
 */
export function writeStl(meshes: readonly WorldMesh[], scale = 1, unitLabel = 'glTF metres'): Uint8Array {
  // Beyond float32's range a coordinate would be stored as Infinity.
  checkMeshNumbers(meshes, 'STL', { scale, max: FLOAT32_MAX });
  const total = meshes.reduce((sum, mesh) => sum + mesh.triangles.length / 3, 0);
  const out = new Uint8Array(84 + total * 50);
  const dv = new DataView(out.buffer);
  // Must not start with "solid": some readers would then take the file for ASCII STL.
  out.set(new TextEncoder().encode(`Binary STL exported by Image2Model (units: ${unitLabel})`.padEnd(80, ' ')).subarray(0, 80));
  dv.setUint32(80, total, true);
  let at = 84;
  for (const { positions: p, triangles } of meshes) {
    for (let t = 0; t < triangles.length; t += 3) {
      const a = triangles[t]! * 3;
      const b = triangles[t + 1]! * 3;
      const c = triangles[t + 2]! * 3;
      const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
      const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
      const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      const len = Math.hypot(nx, ny, nz) || 1;
      const floats = [nx / len, ny / len, nz / len, p[a]! * scale, p[a + 1]! * scale, p[a + 2]! * scale, p[b]! * scale, p[b + 1]! * scale, p[b + 2]! * scale, p[c]! * scale, p[c + 1]! * scale, p[c + 2]! * scale];
      for (const f of floats) {
        dv.setFloat32(at, f, true);
        at += 4;
      }
      dv.setUint16(at, 0, true);
      at += 2;
    }
  }
  return out;
}
