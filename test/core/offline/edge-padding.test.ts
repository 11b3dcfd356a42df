// The front texture along the outline: what the mesh's UVs can sample there (bilinear, and the first
// mip levels a GPU blends in when the model is small on screen) must be the subject, not the backdrop.
// Before edge padding, half the samples on the sample vase's outline were backdrop: a pale, jagged fringe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { generateRelief } from '../../../src/core/offline';
import { readGlb } from './glb-inspect';
import { subjectOnWhite } from './images';

interface Level { width: number; height: number; rgb: Float64Array }

/** The texture as decoded, then box-halved like a GPU's mipmaps. */
function mipLevels(data: Buffer, width: number, height: number, channels: number, count: number): Level[] {
  const rgb = new Float64Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * channels + c]!;
  const levels: Level[] = [{ width, height, rgb }];
  for (let k = 1; k < count; k++) {
    const prev = levels[k - 1]!;
    const w = Math.max(1, prev.width >> 1), h = Math.max(1, prev.height >> 1);
    const out = new Float64Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
            sum += prev.rgb[(Math.min(prev.height - 1, 2 * y + dy) * prev.width + Math.min(prev.width - 1, 2 * x + dx)) * 3 + c]!;
          }
          out[(y * w + x) * 3 + c] = sum / 4;
        }
      }
    }
    levels.push({ width: w, height: h, rgb: out });
  }
  return levels;
}

/** Bilinear lookup with clamp-to-edge, as the GLB's sampler asks. */
function sample({ width, height, rgb }: Level, u: number, v: number): number[] {
  const x = u * width - 0.5, y = v * height - 0.5;
  const x0 = Math.floor(x), y0 = Math.floor(y), fx = x - x0, fy = y - y0;
  const at = (xx: number, yy: number, c: number) => rgb[(Math.min(height - 1, Math.max(0, yy)) * width + Math.min(width - 1, Math.max(0, xx))) * 3 + c]!;
  return [0, 1, 2].map((c) =>
    at(x0, y0, c) * (1 - fx) * (1 - fy) + at(x0 + 1, y0, c) * fx * (1 - fy) + at(x0, y0 + 1, c) * (1 - fx) * fy + at(x0 + 1, y0 + 1, c) * fx * fy);
}

/** Share of points along the front's outline (its open edges) whose sampled colour is within 40 of `backdrop`, per mip level. */
async function backdropShareOnOutline(glb: Uint8Array, backdrop: number[]): Promise<number[]> {
  const doc = await readGlb(glb);
  const front = doc.getRoot().listMeshes()[0]!.listPrimitives().find((p) => p.getAttribute('TEXCOORD_0') !== null)!;
  const uv = front.getAttribute('TEXCOORD_0')!.getArray()!;
  const indices = front.getIndices()!.getArray()!;
  const uses = new Map<string, number>();
  for (let t = 0; t < indices.length; t += 3) {
    for (const [a, b] of [[indices[t]!, indices[t + 1]!], [indices[t + 1]!, indices[t + 2]!], [indices[t + 2]!, indices[t]!]]) {
      const key = `${Math.min(a!, b!)},${Math.max(a!, b!)}`;
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  const image = doc.getRoot().listMaterials().find((m) => m.getBaseColorTexture())!.getBaseColorTexture()!.getImage()!;
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const levels = mipLevels(data, info.width, info.height, info.channels, 3);
  return levels.map((level) => {
    let near = 0, total = 0;
    for (const [key, count] of uses) {
      if (count !== 1) continue;
      const [a, b] = key.split(',').map(Number) as [number, number];
      for (let s = 0; s <= 4; s++) {
        const u = uv[a * 2]! + ((uv[b * 2]! - uv[a * 2]!) * s) / 4;
        const v = uv[a * 2 + 1]! + ((uv[b * 2 + 1]! - uv[a * 2 + 1]!) * s) / 4;
        const [r, g, bl] = sample(level, u, v);
        if (Math.hypot(r! - backdrop[0]!, g! - backdrop[1]!, bl! - backdrop[2]!) < 40) near++;
        total++;
      }
    }
    expect(total).toBeGreaterThan(100);
    return near / total;
  });
}

describe('the front texture along the outline', () => {
  it('shows the sample vase, not its backdrop, where the outline samples it (bilinear and two mip levels)', async () => {
    const photo = readFileSync(join(__dirname, '../../../resources/samples/vase.jpg'));
    const { data } = await sharp(photo).raw().toBuffer({ resolveWithObject: true });
    const backdrop = [data[0]!, data[1]!, data[2]!];
    const shares = await backdropShareOnOutline((await generateRelief(photo)).glb, backdrop);
    for (const share of shares) expect(share).toBeLessThan(0.01);
  });

  it('shows the subject, not the white backdrop, for a coloured shape on white', async () => {
    const shares = await backdropShareOnOutline((await generateRelief(await subjectOnWhite())).glb, [255, 255, 255]);
    for (const share of shares) expect(share).toBeLessThan(0.01);
  });

  it('leaves the subject itself as it was', async () => {
    const photo = readFileSync(join(__dirname, '../../../resources/samples/vase.jpg'));
    const doc = await readGlb((await generateRelief(photo)).glb);
    const image = doc.getRoot().listMaterials().find((m) => m.getBaseColorTexture())!.getBaseColorTexture()!.getImage()!;
    const texture = await sharp(image).raw().toBuffer({ resolveWithObject: true });
    const original = await sharp(photo).raw().toBuffer({ resolveWithObject: true });
    // The vase's belly and its pale foot (close to the backdrop's colour), away from the outline.
    for (const [x, y] of [[384, 400], [300, 300], [384, 672]] as const) {
      const at = (d: Buffer, c: number) => d[(y * 768 + x) * 3 + c]!;
      for (let c = 0; c < 3; c++) expect(Math.abs(at(texture.data, c) - at(original.data, c))).toBeLessThan(8);
    }
  });
});
