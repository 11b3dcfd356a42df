// The fast paths behind the print and placement steps give exactly what the straightforward code
// gives: 3MF numbers as String() writes them, scene bounds as glTF-Transform's getBounds, a 3MF
// package any zip reader opens.
import { Document } from '@gltf-transform/core';
import { KHRMeshQuantization } from '@gltf-transform/extensions';
import { getBounds } from '@gltf-transform/functions';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AsciiWriter } from '../../../src/core/export/ascii-writer';
import { fastSceneBounds } from '../../../src/core/export/bounds';
import { modelXml, write3mf } from '../../../src/core/export/threemf';
import { read3mf } from './helpers';

const asString = (x: number) => {
  const r = Math.round(x * 1e4) / 1e4;
  return Math.abs(r) < 1e-4 ? '0' : String(r);
};

describe('3MF writer', () => {
  it('writes coordinates with four decimals exactly as String() of the rounded number', () => {
    const samples = [0, -0, 1, -1, 0.5, 0.00004, -0.00004, 0.00005, -0.00005, 0.1, 12.3456789, -99.99995, 100, 1234567.0001, 0.1 + 0.2, 3.14159e-3];
    let seed = 1;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 16807) % 2147483647;
      samples.push(((seed / 2147483647) - 0.5) * 10 ** ((i % 9) - 3));
    }
    for (const x of samples) {
      const written = new TextDecoder().decode(new AsciiWriter(8).fixed4(x).result());
      expect(written, `${x}`).toBe(asString(x));
    }
  });

  it('writes a package that unzips into the model, escaping the title', async () => {
    const mesh = { points: new Float64Array([0, 0, 0, 0.01, 0, 0, 0, 0.02, 0, 0, 0, 0.03]), triangles: new Uint32Array([0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]) };
    const bytes = await write3mf(mesh, { unit: 'mm', title: 'Chair <"café">' });
    const three = read3mf(bytes);
    expect(three.unit).toBe('millimeter');
    expect(three.vertices).toEqual([[0, 0, 0], [10, 0, 0], [0, 20, 0], [0, 0, 30]]);
    expect(three.triangles).toEqual([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]]);
    const xml = new TextDecoder().decode(unzipSync(bytes)['3D/3dmodel.model']);
    expect(xml).toContain('name="Chair &lt;&quot;caf&#233;&quot;&gt;"');
    expect(xml).toBe(new TextDecoder().decode(modelXml(mesh, { unit: 'mm', title: 'Chair <"café">' })));
  });
});

describe('scene bounds', () => {
  it('equal getBounds through nested transforms, quantized positions and unused vertices', () => {
    const doc = new Document();
    const buffer = doc.createBuffer();
    const triangle = (positions: Float32Array | Int16Array, normalized: boolean, indices: number[]) =>
      doc.createMesh().addPrimitive(
        doc
          .createPrimitive()
          .setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(positions).setNormalized(normalized).setBuffer(buffer))
          .setIndices(doc.createAccessor().setType('SCALAR').setArray(new Uint32Array(indices)).setBuffer(buffer)),
      );
    doc.createExtension(KHRMeshQuantization).setRequired(true);
    // Vertex 3 (far away) is not used by any triangle and must not count.
    const plain = triangle(new Float32Array([0, 0, 0, 1, 0, 0, 0, 2, 0, 50, 50, 50]), false, [0, 1, 2]);
    const quantized = triangle(new Int16Array([0, 0, 0, 32767, 0, 0, 0, 0, -32767]), true, [0, 1, 2]);
    const parent = doc.createNode('parent').setTranslation([1, 2, 3]).setRotation([0, Math.SQRT1_2, 0, Math.SQRT1_2]).setScale([2, 2, 2]);
    parent.addChild(doc.createNode('child').setMesh(plain).setTranslation([0, -1, 0]));
    parent.addChild(doc.createNode('other').setMesh(quantized).setScale([0.5, 3, 1]));
    const scene = doc.createScene().addChild(parent).addChild(doc.createNode('empty'));
    const expected = getBounds(scene);
    const actual = fastSceneBounds(scene);
    for (let a = 0; a < 3; a++) {
      expect(actual.min[a]).toBeCloseTo(expected.min[a]!, 9);
      expect(actual.max[a]).toBeCloseTo(expected.max[a]!, 9);
    }
  });
});
