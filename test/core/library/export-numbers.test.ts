// Numbers in exported files: a model that ingest accepts can hold vertices far from the origin, or
// node scales whose product overflows. OBJ writes every finite number in fixed notation (toFixed
// switches to "1e+21"), and no format writes NaN or Infinity: the export is refused, saying why.
import { Document, NodeIO } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { runRecipe } from '../../../src/core/export/pipeline';
import { convertGlb, type ConvertedFile } from '../../../src/core/library/export';
import { validateGlb } from '../../../src/core/library/glb';
import { ExportRecipeSchema } from '../../../src/shared/export-recipe';

/** One triangle (x, 0, 0) (1, 0, 0) (0, 1, 0) with normals and UVs, under a parent and a child node scale. */
async function scaledTriangle(parentScale: number, childScale: number, x = 0): Promise<Uint8Array> {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const accessor = (type: 'VEC2' | 'VEC3', values: number[]) => doc.createAccessor().setType(type).setArray(new Float32Array(values)).setBuffer(buffer);
  const primitive = doc
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', [x, 0, 0, 1, 0, 0, 0, 1, 0]))
    .setAttribute('NORMAL', accessor('VEC3', [0, 0, 1, 0, 0, 1, 0, 0, 1]))
    .setAttribute('TEXCOORD_0', accessor('VEC2', [0, 0, 1, 0, 0, 1]));
  const child = doc.createNode('child').setMesh(doc.createMesh().addPrimitive(primitive)).setScale([childScale, childScale, childScale]);
  doc.createScene().addChild(doc.createNode('parent').setScale([parentScale, parentScale, parentScale]).addChild(child));
  return new NodeIO().writeBinary(doc);
}

const text = (file: ConvertedFile | undefined) => new TextDecoder().decode(file?.data);
const NOT_FINITE = /^The model cannot be written as (OBJ|STL|3MF|USDZ): .*not finite numbers.*Nothing was written\. Export it as GLB/;

describe('exported numbers', () => {
  it('OBJ writes coordinates of 1e21 and beyond in fixed notation, with their value', async () => {
    // Float32 1.0000000150474662, times 1e30: toFixed gave "1.0000000150474662e+30", and the trimming
    // of trailing zeros made that "...e+3" - a thousand, not 1e30.
    const glb = await scaledTriangle(1e30, 1, 1.0000000150474662);
    expect((await validateGlb(glb)).ok).toBe(true); // ingest takes it
    const obj = text((await convertGlb(glb, 'obj')).files[0]);
    const vertices = obj.split('\n').filter((line) => line.startsWith('v '));
    expect(vertices).toHaveLength(3);
    for (const line of vertices) for (const value of line.slice(2).split(' ')) expect(value).toMatch(/^-?\d+(\.\d+)?$/);
    const xs = vertices.map((line) => Number(line.split(' ')[1]));
    expect(xs[0]).toBe(Math.fround(1.0000000150474662) * 1e30);
    expect(xs[1]).toBe(1e30);
  });

  it('refuses OBJ and STL when node scales overflow (ingest takes the model)', async () => {
    const glb = await scaledTriangle(1e200, 1e200);
    expect((await validateGlb(glb)).ok).toBe(true);
    await expect(convertGlb(glb, 'obj')).rejects.toThrow(NOT_FINITE);
    await expect(convertGlb(glb, 'stl')).rejects.toThrow(NOT_FINITE);
    // GLB is copied as it is.
    expect((await convertGlb(glb, 'glb')).files[0]!.data).toBe(glb);
  });

  it('refuses STL when a coordinate is beyond what a float32 holds', async () => {
    // 1e39 is a finite number, but an STL stores it as Infinity.
    const glb = await scaledTriangle(1e39, 1);
    expect((await validateGlb(glb)).ok).toBe(true);
    await expect(convertGlb(glb, 'stl')).rejects.toThrow(/^The model cannot be written as STL: mesh "child" has vertex positions beyond the largest number STL can store/);
    // OBJ holds it (in fixed notation).
    const second = text((await convertGlb(glb, 'obj')).files[0]).split('\n').filter((line) => line.startsWith('v '))[1]!;
    expect(second).toMatch(/^v \d+ 0 0$/);
    expect(Number(second.split(' ')[1])).toBe(1e39);
  });

  it('refuses 3MF and USDZ from the export studio when node scales overflow', async () => {
    const glb = await scaledTriangle(1e200, 1e200);
    for (const format of ['3mf', 'usdz', 'obj', 'stl'] as const) {
      await expect(runRecipe(glb, ExportRecipeSchema.parse({ formats: [format] }), 'chair'), format).rejects.toThrow(NOT_FINITE);
    }
  });

  it('refuses USDZ when a coordinate is beyond what its float32 points hold', async () => {
    const glb = await scaledTriangle(1e36, 1);
    await expect(runRecipe(glb, ExportRecipeSchema.parse({ formats: ['usdz'], unit: 'mm' }), 'chair')).rejects.toThrow(/written as USDZ: .*beyond the largest number USDZ can store/);
  });
});
