// Tiny software rasteriser to eyeball a relief GLB (scratch, not committed).
import sharp from 'sharp';
import { readFileSync } from 'node:fs';
import { NodeIO } from '@gltf-transform/core';
const [file, out, yawDeg = '30', pitchDeg = '15'] = process.argv.slice(2) as [string, string, string?, string?];
const doc = await new NodeIO().readBinary(new Uint8Array(readFileSync(file)));
const S = 600;
const zbuf = new Float32Array(S * S).fill(-Infinity);
const img = new Uint8Array(S * S * 3).fill(40);
const yaw = (+yawDeg * Math.PI) / 180, pitch = (+pitchDeg * Math.PI) / 180;
const rot = (p: number[]) => {
  let [x, y, z] = p as [number, number, number];
  y -= 0.5;
  [x, z] = [x * Math.cos(yaw) + z * Math.sin(yaw), -x * Math.sin(yaw) + z * Math.cos(yaw)];
  [y, z] = [y * Math.cos(pitch) - z * Math.sin(pitch), y * Math.sin(pitch) + z * Math.cos(pitch)];
  return [x, y, z];
};
const light = [0.4, 0.5, 0.75];
const ln = Math.hypot(...light);
for (const mesh of doc.getRoot().listMeshes()) for (const prim of mesh.listPrimitives()) {
  const pos = prim.getAttribute('POSITION')!.getArray()!;
  const nor = prim.getAttribute('NORMAL')!.getArray()!;
  const uv = prim.getAttribute('TEXCOORD_0')?.getArray();
  const idx = prim.getIndices()!.getArray()!;
  const mat = prim.getMaterial()!;
  const tex = mat.getBaseColorTexture();
  let texData: Buffer | null = null, tw = 0, th = 0;
  if (tex) { const r = await sharp(tex.getImage()!).removeAlpha().raw().toBuffer({ resolveWithObject: true }); texData = r.data; tw = r.info.width; th = r.info.height; }
  const base = mat.getBaseColorFactor();
  const scale = S / Math.max(1.6, 1.2);
  const proj = (i: number) => { const p = rot([pos[i*3]!, pos[i*3+1]!, pos[i*3+2]!]); const n = rot([nor[i*3]!, nor[i*3+1]!, nor[i*3+2]!]); return { x: S/2 + p[0]! * scale * 0.7, y: S/2 - p[1]! * scale * 0.7, z: p[2]!, n }; };
  for (let t = 0; t < idx.length; t += 3) {
    const ids = [idx[t]!, idx[t+1]!, idx[t+2]!];
    const P = ids.map(proj) as [ReturnType<typeof proj>, ReturnType<typeof proj>, ReturnType<typeof proj>];
    const area = (P[1].x - P[0].x) * (P[2].y - P[0].y) - (P[2].x - P[0].x) * (P[1].y - P[0].y);
    if (area >= 0) continue; // back-facing (screen y down)
    const minx = Math.max(0, Math.floor(Math.min(P[0].x, P[1].x, P[2].x))), maxx = Math.min(S-1, Math.ceil(Math.max(P[0].x, P[1].x, P[2].x)));
    const miny = Math.max(0, Math.floor(Math.min(P[0].y, P[1].y, P[2].y))), maxy = Math.min(S-1, Math.ceil(Math.max(P[0].y, P[1].y, P[2].y)));
    for (let y = miny; y <= maxy; y++) for (let x = minx; x <= maxx; x++) {
      const w0 = ((P[1].x - x) * (P[2].y - y) - (P[2].x - x) * (P[1].y - y)) / area;
      const w1 = ((P[2].x - x) * (P[0].y - y) - (P[0].x - x) * (P[2].y - y)) / area;
      const w2 = 1 - w0 - w1;
      if (w0 < 0 || w1 < 0 || w2 < 0) continue;
      const z = w0 * P[0].z + w1 * P[1].z + w2 * P[2].z;
      if (z <= zbuf[y*S+x]!) continue;
      zbuf[y*S+x] = z;
      const n = [0,1,2].map((k) => w0 * P[0].n[k]! + w1 * P[1].n[k]! + w2 * P[2].n[k]!);
      const nl = Math.hypot(...n) || 1;
      const shade = 0.35 + 0.65 * Math.max(0, (n[0]! * light[0]! + n[1]! * light[1]! + n[2]! * light[2]!) / nl / ln);
      let c = [base[0]! * 255, base[1]! * 255, base[2]! * 255];
      if (texData && uv) {
        const u = w0 * uv[ids[0]!*2]! + w1 * uv[ids[1]!*2]! + w2 * uv[ids[2]!*2]!;
        const v = w0 * uv[ids[0]!*2+1]! + w1 * uv[ids[1]!*2+1]! + w2 * uv[ids[2]!*2+1]!;
        const tx = Math.min(tw-1, Math.max(0, Math.floor(u * tw))), ty = Math.min(th-1, Math.max(0, Math.floor(v * th)));
        c = [texData[(ty*tw+tx)*3]!, texData[(ty*tw+tx)*3+1]!, texData[(ty*tw+tx)*3+2]!];
      }
      for (let k = 0; k < 3; k++) img[(y*S+x)*3+k] = Math.min(255, c[k]! * shade);
    }
  }
}
await sharp(img, { raw: { width: S, height: S, channels: 3 } }).png().toFile(out);
