// Attack: FAL's answer names a GLB whose Draco stream decodes, but not to what its primitive says:
// the KHR_draco_mesh_compression extension's `attributes` give Draco attribute ids that are not in the
// stream (or the id of another attribute), or the primitive's accessors give other counts than the
// decoded mesh has. Ingest decoded the stream (glb-draco-empty-stream.test.ts) but never compared it:
// the model entered the library, and glTF-Transform read a POSITION of no vertices from an id not in
// the stream (exports wrote an empty or garbled mesh). Now such a file is refused, saying what is wrong
// and what to do; real Draco models still pass.
import { expect, it } from 'vitest';
import { readGlb } from '../../src/core/export/io';
import { validateGlb } from '../../src/core/library/glb';
import { makeTestGlb } from '../fixtures/make-glb';
import { compressGlb, packGlb, unpackGlb } from '../core/library/helpers';

interface Primitive {
  attributes: Record<string, number>;
  indices?: number;
  extensions: { KHR_draco_mesh_compression: { bufferView: number; attributes: Record<string, number> } };
}

/** A real Draco-compressed model, its JSON changed by `edit`. */
async function dracoModel(edit: (json: { meshes: { primitives: Primitive[] }[]; accessors: { count: number }[] }) => void = () => {}): Promise<Uint8Array> {
  const good = await compressGlb(await makeTestGlb({ triangles: 800, textureSize: 32 }), 'draco');
  const { json, bin } = unpackGlb(good);
  edit(json as unknown as Parameters<typeof edit>[0]);
  return packGlb(json, bin);
}

const reasonOf = async (glb: Uint8Array) => {
  const checked = await validateGlb(glb);
  return checked.ok ? `accepted: ${JSON.stringify(checked.stats)}` : checked.reason;
};

const REFUSED = /^The GLB's Draco-compressed mesh data does not match the model's description \(mesh 0, part 0: .*\).* - generate it again$/;

it('a real Draco model passes', async () => {
  const checked = await validateGlb(await dracoModel());
  expect(checked.ok ? checked.stats.vertices : checked.reason).toBeGreaterThan(0);
});

it('a POSITION whose Draco attribute id is not in the stream is refused, naming it', async () => {
  const glb = await dracoModel((json) => {
    json.meshes[0]!.primitives[0]!.extensions.KHR_draco_mesh_compression.attributes.POSITION = 42;
  });
  // What an export read before: a POSITION of no vertices.
  const position = (await readGlb(glb)).getRoot().listMeshes()[0]!.listPrimitives()[0]!.getAttribute('POSITION')!;
  expect(position.getCount()).toBe(0);
  const reason = await reasonOf(glb);
  expect(reason).toMatch(REFUSED);
  expect(reason).toMatch(/POSITION is Draco attribute 42, which its Draco data does not hold/);
});

it("a NORMAL given the texture coordinates' Draco id (two components for a VEC3) is refused", async () => {
  const glb = await dracoModel((json) => {
    const draco = json.meshes[0]!.primitives[0]!.extensions.KHR_draco_mesh_compression;
    draco.attributes.NORMAL = draco.attributes.TEXCOORD_0!;
  });
  // What an export read before: a NORMAL of other vertices than its POSITION.
  const primitive = (await readGlb(glb)).getRoot().listMeshes()[0]!.listPrimitives()[0]!;
  expect(primitive.getAttribute('NORMAL')!.getCount()).not.toBe(primitive.getAttribute('POSITION')!.getCount());
  const reason = await reasonOf(glb);
  expect(reason).toMatch(REFUSED);
  expect(reason).toMatch(/NORMAL has 3 components per vertex, its Draco data 2/);
});

it("accessors whose vertex count is not the decoded mesh's are refused", async () => {
  let decoded = 0;
  const glb = await dracoModel((json) => {
    // All of the primitive's attributes (the validator refuses attributes of different counts).
    for (const index of Object.values(json.meshes[0]!.primitives[0]!.attributes)) {
      decoded = json.accessors[index]!.count;
      json.accessors[index]!.count = decoded - 7;
    }
  });
  const reason = await reasonOf(glb);
  expect(reason).toMatch(REFUSED);
  expect(reason).toContain(`POSITION has ${decoded - 7} vertices, its Draco data ${decoded}`);
});

it("an index accessor whose count is not the decoded triangles' is refused", async () => {
  const glb = await dracoModel((json) => {
    const primitive = json.meshes[0]!.primitives[0]!;
    json.accessors[primitive.indices!]!.count -= 3;
  });
  const reason = await reasonOf(glb);
  expect(reason).toMatch(REFUSED);
  expect(reason).toMatch(/indices, its Draco data \d+ \(\d+ triangles\)/);
});
