import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { generateRelief, RELIEF_GENERATOR, ReliefInputError } from '../../../src/core/offline';
import { bounds, checkClosed, glbJson, readGlb, validateGlb, weld } from './glb-inspect';
import {
  busyScene,
  cornerTouchingSquares,
  opaqueWithTransparentHole,
  SUBJECT_BOX,
  subjectOnWhite,
  subjectTouchingFrame,
} from './images';

function photoMaterial(doc: Awaited<ReturnType<typeof readGlb>>) {
  const textured = doc.getRoot().listMaterials().filter((m) => m.getBaseColorTexture() !== null);
  expect(textured).toHaveLength(1);
  return textured[0]!;
}

describe('generateRelief', () => {
  it('writes a GLB the Khronos validator accepts, saying what made it and what it is', async () => {
    const { glb } = await generateRelief(await subjectOnWhite());
    const report = await validateGlb(glb);
    expect(report.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
    expect(report.issues.numErrors).toBe(0);

    const { asset } = glbJson(glb);
    expect(asset.generator).toBe(RELIEF_GENERATOR);
    const extras = asset.extras ?? {};
    expect(extras.description).toMatch(/relief approximation/i);
    expect(extras.description).toMatch(/not an AI 3D reconstruction/);
    expect(extras.outlineSource).toBe('background');
  });

  it('puts the photo on the front as a texture at its own size and aspect', async () => {
    const doc = await readGlb((await generateRelief(await subjectOnWhite())).glb);
    const texture = photoMaterial(doc).getBaseColorTexture()!;
    expect(texture.getMimeType()).toBe('image/jpeg');
    const { data, info } = await sharp(texture.getImage()!).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([600, 400]);
    // It is the photo: red in the disc, blue in the block, white in the corner.
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    expect(pixel(300, 250)).toEqual([expect.closeTo(0xc0, -1.3), expect.closeTo(0x30, -1.3), expect.closeTo(0x20, -1.3)]);
    expect(pixel(300, 60)).toEqual([expect.closeTo(0x20, -1.3), expect.closeTo(0x50, -1.3), expect.closeTo(0xc0, -1.3)]);
    expect(pixel(10, 10)).toEqual([expect.closeTo(255, -1.3), expect.closeTo(255, -1.3), expect.closeTo(255, -1.3)]);
    // The other material is a plain colour for the back and sides.
    const plain = doc.getRoot().listMaterials().filter((m) => m.getBaseColorTexture() === null);
    expect(plain).toHaveLength(1);
  });

  it('limits the texture to textureMaxSide without changing its aspect', async () => {
    const big = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#ffffff' } })
      .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><circle cx="300" cy="300" r="280" fill="#503010"/></svg>'), left: 450, top: 200 }])
      .jpeg()
      .toBuffer();
    const doc = await readGlb((await generateRelief(big, { textureMaxSide: 512 })).glb);
    const meta = await sharp(photoMaterial(doc).getBaseColorTexture()!.getImage()!).metadata();
    expect([meta.width, meta.height]).toEqual([512, 341]);
  });

  it('maps the front surface onto the subject only', async () => {
    const doc = await readGlb((await generateRelief(await subjectOnWhite())).glb);
    const front = doc.getRoot().listMeshes()[0]!.listPrimitives().find((p) => p.getAttribute('TEXCOORD_0') !== null)!;
    const uv = front.getAttribute('TEXCOORD_0')!.getArray()!;
    let [minU, minV, maxU, maxV] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < uv.length; i += 2) {
      [minU, maxU] = [Math.min(minU, uv[i]!), Math.max(maxU, uv[i]!)];
      [minV, maxV] = [Math.min(minV, uv[i + 1]!), Math.max(maxV, uv[i + 1]!)];
    }
    const tolerance = 0.02;
    expect(Math.abs(minU - SUBJECT_BOX.left / SUBJECT_BOX.width)).toBeLessThan(tolerance);
    expect(Math.abs(maxU - SUBJECT_BOX.right / SUBJECT_BOX.width)).toBeLessThan(tolerance);
    expect(Math.abs(minV - SUBJECT_BOX.top / SUBJECT_BOX.height)).toBeLessThan(tolerance);
    expect(Math.abs(maxV - SUBJECT_BOX.bottom / SUBJECT_BOX.height)).toBeLessThan(tolerance);
  });

  it('keeps a PNG texture when the outline came from alpha, and the hole goes right through', async () => {
    const { glb } = await generateRelief(await opaqueWithTransparentHole());
    expect((await validateGlb(glb)).issues.numErrors).toBe(0);
    const doc = await readGlb(glb);
    expect(photoMaterial(doc).getBaseColorTexture()!.getMimeType()).toBe('image/png');
    expect((doc.getRoot().getAsset().extras as Record<string, unknown>).outlineSource).toBe('alpha');
    // A closed surface with one hole through it is a torus: V - E + F = 0 (a solid without holes gives 2).
    const welded = weld(doc);
    const closure = checkClosed(welded);
    expect(closure.badEdges).toBe(0);
    expect(welded.positions.length - closure.edges + welded.triangles.length).toBe(0);
  });

  const shapes: Array<[string, () => Promise<Buffer>]> = [
    ['a subject on white', () => subjectOnWhite('png')],
    ['an alpha cut-out with a hole', opaqueWithTransparentHole],
    ['a busy scene (whole image)', () => busyScene()],
    ['shapes touching only at a corner', cornerTouchingSquares],
    ['a subject cut off by the frame', subjectTouchingFrame],
    ['a 3x2 image', () => sharp({ create: { width: 3, height: 2, channels: 3, background: '#884422' } }).png().toBuffer()],
  ];
  it.each(shapes)('makes a closed, outward-facing mesh from %s', async (_name, make) => {
    const result = await generateRelief(await make());
    const doc = await readGlb(result.glb);
    const welded = weld(doc);
    const closure = checkClosed(welded);
    expect(closure.badEdges).toBe(0);
    expect(closure.badDirections).toBe(0);
    expect(closure.signedVolume).toBeGreaterThan(0);
    expect((await validateGlb(result.glb)).issues.numErrors).toBe(0);
  });

  it('reports the real triangle and vertex counts', async () => {
    const result = await generateRelief(await subjectOnWhite());
    const primitives = (await readGlb(result.glb)).getRoot().listMeshes().flatMap((m) => m.listPrimitives());
    const triangles = primitives.reduce((sum, p) => sum + p.getIndices()!.getCount() / 3, 0);
    const vertices = primitives.reduce((sum, p) => sum + p.getAttribute('POSITION')!.getCount(), 0);
    expect(result.triangles).toBe(triangles);
    expect(result.vertices).toBe(vertices);
    expect(triangles).toBeGreaterThan(1000);
  });

  it('stands 1 unit tall on y = 0, centred on X and Z, with depth set by depthScale', async () => {
    const image = await subjectOnWhite();
    const shallow = bounds(weld(await readGlb((await generateRelief(image, { depthScale: 0.1 })).glb)).positions);
    expect(shallow.min[1]).toBeCloseTo(0, 5);
    expect(shallow.max[1]).toBeCloseTo(1, 5);
    expect(shallow.min[0]! + shallow.max[0]!).toBeCloseTo(0, 5);
    expect(shallow.min[2]! + shallow.max[2]!).toBeCloseTo(0, 5);
    // Subject is 240 x 280 px, so about 0.86 units wide.
    expect(shallow.max[0]! - shallow.min[0]!).toBeCloseTo(240 / 280, 1);
    const deep = bounds(weld(await readGlb((await generateRelief(image, { depthScale: 0.4 })).glb)).positions);
    expect(deep.max[2]! - deep.min[2]!).toBeGreaterThan(2.5 * (shallow.max[2]! - shallow.min[2]!));
  });

  it('applies EXIF orientation', async () => {
    const sideways = await sharp(await subjectOnWhite()).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const doc = await readGlb((await generateRelief(sideways)).glb);
    const meta = await sharp(photoMaterial(doc).getBaseColorTexture()!.getImage()!).metadata();
    expect([meta.width, meta.height]).toEqual([400, 600]);
  });

  it('gives byte-identical output for the same input', async () => {
    const image = await subjectOnWhite();
    const first = await generateRelief(image);
    const second = await generateRelief(new Uint8Array(image));
    expect(Buffer.from(second.glb).equals(Buffer.from(first.glb))).toBe(true);
  });

  it('reads a file path as well as bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relief-'));
    const path = join(dir, 'subject.jpg');
    const image = await subjectOnWhite();
    writeFileSync(path, image);
    const fromPath = await generateRelief(path);
    expect(Buffer.from(fromPath.glb).equals(Buffer.from((await generateRelief(image)).glb))).toBe(true);
  });

  it('reports progress from 0 to 1 without going backwards', async () => {
    const fractions: number[] = [];
    await generateRelief(await subjectOnWhite(), { onProgress: (fraction) => fractions.push(fraction) });
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('throws a clear error for data that is not an image', async () => {
    const notAnImage = new TextEncoder().encode('this is a text file, not a picture');
    await expect(generateRelief(notAnImage)).rejects.toThrow(ReliefInputError);
    await expect(generateRelief(notAnImage)).rejects.toThrow(/could not read the image/);
    await expect(generateRelief(new Uint8Array())).rejects.toThrow(/could not read the image: the data is empty/);
    await expect(generateRelief(join(tmpdir(), 'no-such-relief-input.png'))).rejects.toThrow(ReliefInputError);
  });

  it('rejects options outside their range', async () => {
    const image = await subjectOnWhite();
    await expect(generateRelief(image, { gridResolution: 0 })).rejects.toThrow(RangeError);
    await expect(generateRelief(image, { gridResolution: 10.5 })).rejects.toThrow(/gridResolution/);
    await expect(generateRelief(image, { depthScale: Number.NaN })).rejects.toThrow(/depthScale/);
    await expect(generateRelief(image, { textureMaxSide: 1 })).rejects.toThrow(/textureMaxSide/);
  });
});
