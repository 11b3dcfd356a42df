// Attack: a small GLB that passes validateGlb but makes a reader (glTF-Transform in an export or
// convert, three's loader in the viewer) allocate gigabytes - past the declared-but-not-in-the-file
// budget of library/glb.ts (see attack/glb-deep-nesting for the plain cases).
import { expect, it } from 'vitest';
import { checkGlbHeader, validateGlb } from '../../src/core/library/glb';

/** A GLB with a BIN chunk. */
function glbWithBin(json: unknown, bin: Uint8Array): Uint8Array {
  const text = JSON.stringify(json);
  const jsonChunk = Buffer.from(text + ' '.repeat((4 - (Buffer.byteLength(text) % 4)) % 4));
  const body = Buffer.concat([Buffer.from(bin), Buffer.alloc((4 - (bin.byteLength % 4)) % 4)]);
  const head = Buffer.alloc(20);
  head.write('glTF', 0, 'latin1');
  head.writeUInt32LE(2, 4);
  head.writeUInt32LE(20 + jsonChunk.length + 8 + body.length, 8);
  head.writeUInt32LE(jsonChunk.length, 12);
  head.writeUInt32LE(0x4e4f534a, 16); // JSON
  const binHead = Buffer.alloc(8);
  binHead.writeUInt32LE(body.length, 0);
  binHead.writeUInt32LE(0x004e4942, 4); // BIN
  return new Uint8Array(Buffer.concat([head, jsonChunk, binHead, body]));
}

// Both meshopt decoders (glTF-Transform's and three's) size their output as `count * byteStride`, and
// JavaScript multiplies "100000000" or [100000000] like 100000000: the validator does not check the
// extension's fields, and the budget read only numbers. Measured: glTF-Transform's read of this
// 772-byte file allocated 1,200 MB before its decoder gave up.
it.each([
  ['a string', '100000000'],
  ['a one-element array', [100_000_000]],
])('a meshopt-compressed view whose count is %s is refused', async (_label, count) => {
  const stride = 12;
  const bytes = glbWithBin(
    {
      asset: { version: '2.0' },
      extensionsUsed: ['EXT_meshopt_compression'],
      extensionsRequired: ['EXT_meshopt_compression'],
      buffers: [{ byteLength: 64 }, { byteLength: 100_000_000 * stride, extensions: { EXT_meshopt_compression: { fallback: true } } }],
      bufferViews: [
        {
          buffer: 1,
          byteLength: 100_000_000 * stride,
          byteStride: stride,
          target: 34962,
          extensions: { EXT_meshopt_compression: { buffer: 0, byteOffset: 0, byteLength: 64, byteStride: stride, count, mode: 'ATTRIBUTES' } },
        },
      ],
      accessors: [{ bufferView: 0, componentType: 5126, count: 100_000_000, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 1] }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
      nodes: [{ mesh: 0 }],
      scenes: [{ nodes: [0] }],
    },
    new Uint8Array(64),
  );
  const result = await validateGlb(bytes);
  expect(result.ok).toBe(false);
  expect(result.ok ? '' : result.reason).toMatch(/EXT_meshopt_compression data is malformed/);
  // The export and convert paths read through the same check.
  expect(checkGlbHeader(bytes).ok).toBe(false);
});

// Every accessor over the file's data is copied out by glTF-Transform (export, convert), and any
// number of accessors may name the same bytes: measured, 100 accessors over one 10 MB view made 1,010 MB
// of arrays from a 10 MB file; 1,000 over a 1 MB view claim 1 GB here.
it('a GLB whose accessors read the same data again and again is refused; ordinary ones pass', async () => {
  const aliased = (accessors: number, viewBytes = 1_000_000) =>
    glbWithBin(
      {
        asset: { version: '2.0' },
        buffers: [{ byteLength: viewBytes }],
        bufferViews: [{ buffer: 0, byteLength: viewBytes }],
        accessors: Array.from({ length: accessors }, () => ({ bufferView: 0, componentType: 5126, count: viewBytes / 4, type: 'SCALAR' })),
      },
      new Uint8Array(viewBytes),
    );
  const bomb = await validateGlb(aliased(1000));
  expect(bomb.ok).toBe(false);
  expect(bomb.ok ? '' : bomb.reason).toMatch(/geometry that is not in the file \(accessors .*reading the same data again/);
  expect(checkGlbHeader(aliased(1000)).ok).toBe(false);
  // A few accessors sharing data (interleaved attributes, a shared index list) are no bomb.
  expect((await validateGlb(aliased(3))).ok).toBe(true);
});
