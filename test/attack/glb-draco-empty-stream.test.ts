// Attack: FAL's answer names a GLB whose Draco-compressed primitive holds no mesh - the stream's header
// alone ("DRACO", version, "triangle mesh"), or that header followed by bytes that are no Draco data.
// Ingest checked only the header (library/glb-budgets.ts: point clouds are refused there) and the
// validator cannot look inside Draco data, so the model entered the library; the viewer showed nothing
// and every export failed with "Unknown geometry type" or "Decoding failure". Now each Draco stream is
// decoded at ingest and such a file is refused, saying what is wrong and what to do; Draco meshes pass.
import { expect, it } from 'vitest';
import { readGlb } from '../../src/core/export/io';
import { validateGlb } from '../../src/core/library/glb';
import { makeTestGlb } from '../fixtures/make-glb';
import { compressGlb, glbWithDracoStream as withDraco, packGlb, unpackGlb } from '../core/library/helpers';

// "DRACO", version 2.2, triangle mesh (the byte ingest looked at), then what follows.
const header = (...rest: number[]) => new Uint8Array([...Buffer.from('DRACO', 'latin1'), 2, 2, 1, ...rest]);

it.each([
  ['the header alone', header(), /Unknown geometry type/],
  ['the full header (edgebreaker), no data', header(1, 0, 0), /Decoding failure/],
  ['the header, then zeros', header(1, 0, 0, ...new Array<number>(64).fill(0)), /Decoding failure/],
])('a Draco stream of %s is refused at ingest, saying why and what to do', async (_what, stream, exportError) => {
  const glb = withDraco(stream);
  // What the user met before: the export of the model fails.
  await expect(readGlb(glb)).rejects.toThrow(exportError);
  const checked = await validateGlb(glb);
  expect(checked.ok ? `accepted: ${JSON.stringify(checked.stats)}` : checked.reason).toMatch(/Draco-compressed mesh data is empty or damaged .*could not be shown or exported - generate it again/);
});

it('a damaged Draco stream in a real compressed model is refused; the model itself passes', async () => {
  const good = await compressGlb(await makeTestGlb({ triangles: 800, textureSize: 32 }), 'draco');
  const checked = await validateGlb(good);
  expect(checked.ok ? checked.stats.triangles : checked.reason).toBeGreaterThan(0);

  // The same file with its Draco stream cut after the header's 11 bytes (the rest zeroed, sizes kept).
  const { json, bin } = unpackGlb(good);
  const views = json.bufferViews as { byteOffset?: number; byteLength: number }[];
  const primitive = (json.meshes as { primitives: { extensions: { KHR_draco_mesh_compression: { bufferView: number } } }[] }[])[0]!.primitives[0]!;
  const view = views[primitive.extensions.KHR_draco_mesh_compression.bufferView]!;
  const damaged = new Uint8Array(bin!);
  damaged.fill(0, (view.byteOffset ?? 0) + 11, (view.byteOffset ?? 0) + view.byteLength);
  const glb = packGlb(json, damaged);
  await expect(readGlb(glb)).rejects.toThrow(/KHR_draco_mesh_compression/);
  const refused = await validateGlb(glb);
  expect(refused.ok ? 'accepted' : refused.reason).toMatch(/Draco-compressed mesh data is empty or damaged \(mesh 0, part 0/);
});
