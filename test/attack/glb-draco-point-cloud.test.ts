// Attack: FAL's answer names a GLB whose Draco-compressed primitive is a point cloud. The validator
// cannot look inside Draco data and the geometry budget (library/glb-budgets.ts) counts what the
// accessors claim - 3 points here - but a Draco stream decodes to what it says itself: 58 bytes are 3
// million identical points, a 592-byte GLB 10 million (measured). Ingest accepted it; three's loader
// in the viewer decodes point clouds (an export could not: glTF-Transform reads only Draco triangle
// meshes). Now Draco data that is not a triangle mesh is refused at ingest and by export; Draco meshes
// still pass.
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { readGlb } from '../../src/core/export/io';
import { validateGlb } from '../../src/core/library/glb';
import { makeTestGlb } from '../fixtures/make-glb';
import { compressGlb, glbWithDracoStream as withDraco } from '../core/library/helpers';

interface DracoEncoderModule {
  Encoder: new () => { SetAttributeQuantization(attribute: number, bits: number): void; EncodePointCloudToDracoBuffer(pc: unknown, deduplicate: boolean, out: unknown): number };
  PointCloudBuilder: new () => { AddFloatAttribute(pc: unknown, attribute: number, count: number, components: number, values: Float32Array): number };
  PointCloud: new () => unknown;
  DracoInt8Array: new () => { GetValue(i: number): number };
  POSITION: number;
}

/** A Draco point cloud of `points` points at the origin. */
async function dracoPointCloud(points: number): Promise<Uint8Array> {
  const draco = createRequire(import.meta.url)('draco3dgltf') as { createEncoderModule(): Promise<DracoEncoderModule> };
  const module = await draco.createEncoderModule();
  const encoder = new module.Encoder();
  const cloud = new module.PointCloud();
  new module.PointCloudBuilder().AddFloatAttribute(cloud, module.POSITION, points, 3, new Float32Array(points * 3));
  encoder.SetAttributeQuantization(module.POSITION, 11);
  const out = new module.DracoInt8Array();
  const length = encoder.EncodePointCloudToDracoBuffer(cloud, false, out);
  return Uint8Array.from({ length }, (_, i) => out.GetValue(i) & 0xff);
}

it.each([
  ['points', 0],
  ['triangles', 4],
])('a Draco point cloud of 100,000 points claiming 3 (primitive mode: %s) is refused at ingest and by export', async (_mode, mode) => {
  const glb = withDraco(await dracoPointCloud(100_000), mode);
  const checked = await validateGlb(glb);
  expect(checked.ok ? `accepted: ${JSON.stringify(checked.stats)}` : checked.reason).toMatch(/Draco-compressed data is not a triangle mesh/);
  await expect(readGlb(glb)).rejects.toThrow(/Cannot export: .*Draco-compressed data is not a triangle mesh/);
});

it('Draco-compressed meshes still pass', async () => {
  const checked = await validateGlb(await compressGlb(await makeTestGlb({ triangles: 800, textureSize: 32 }), 'draco'));
  expect(checked.ok ? checked.stats.triangles : checked.reason).toBeGreaterThan(0);
});
