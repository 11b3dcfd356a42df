// Attack: a small GLB that passes validateGlb but makes a reader (glTF-Transform in an export or
// convert, three's loader in the viewer) allocate gigabytes - past the declared-but-not-in-the-file
// budget of library/glb.ts (see attack/glb-deep-nesting for the plain cases).
import { expect, it } from 'vitest';
import { checkGlbHeader, validateGlb } from '../../src/core/library/glb';
import { packGlb } from '../core/library/helpers';

/** A GLB with a BIN chunk. */
const glbWithBin = (json: unknown, bin: Uint8Array): Uint8Array => packGlb(json, bin);

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

// A flat image compresses almost without limit and is decoded whole (the viewer's texture upload, an
// export's resize, WebP to PNG for USDZ): measured, a 10 KB lossless WebP of 16383 x 16383 pixels took
// 2.2 GB to become a PNG. Its header is all the check reads, so the test writes the header alone.
it('a GLB whose small texture decodes to gigabytes is refused; an ordinary texture passes', async () => {
  /** A lossless WebP header claiming width x height, padded to `size` bytes. */
  const webpClaiming = (width: number, height: number, size = 10_000) => {
    const bytes = new Uint8Array(size);
    bytes.set(Buffer.from('RIFF', 'latin1'), 0);
    new DataView(bytes.buffer).setUint32(4, size - 8, true);
    bytes.set(Buffer.from('WEBPVP8L', 'latin1'), 8);
    new DataView(bytes.buffer).setUint32(16, size - 20, true);
    bytes[20] = 0x2f;
    const w = width - 1;
    const h = height - 1;
    bytes[21] = w & 0xff;
    bytes[22] = ((w >> 8) & 0x3f) | ((h & 0x03) << 6);
    bytes[23] = (h >> 2) & 0xff;
    bytes[24] = (h >> 10) & 0x0f;
    return bytes;
  };
  const withTexture = (image: Uint8Array) => {
    const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1]);
    const bin = new Uint8Array(64 + image.byteLength + ((4 - (image.byteLength % 4)) % 4));
    bin.set(new Uint8Array(positions.buffer), 0);
    bin.set(image, 64);
    return glbWithBin(
      {
        asset: { version: '2.0' },
        extensionsUsed: ['EXT_texture_webp'],
        extensionsRequired: ['EXT_texture_webp'],
        buffers: [{ byteLength: bin.byteLength }],
        bufferViews: [
          { buffer: 0, byteLength: 36, target: 34962 },
          { buffer: 0, byteOffset: 36, byteLength: 24, target: 34962 },
          { buffer: 0, byteOffset: 64, byteLength: image.byteLength },
        ],
        accessors: [
          { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] },
          { bufferView: 1, componentType: 5126, count: 3, type: 'VEC2' },
        ],
        images: [{ bufferView: 2, mimeType: 'image/webp' }],
        textures: [{ extensions: { EXT_texture_webp: { source: 0 } } }],
        materials: [{ pbrMetallicRoughness: { baseColorTexture: { index: 0 } } }],
        meshes: [{ primitives: [{ attributes: { POSITION: 0, TEXCOORD_0: 1 }, material: 0 }] }],
        nodes: [{ mesh: 0 }],
        scenes: [{ nodes: [0] }],
        scene: 0,
      },
      bin,
    );
  };
  const bomb = await validateGlb(withTexture(webpClaiming(16383, 16383)));
  expect(bomb.ok).toBe(false);
  expect(bomb.ok ? '' : bomb.reason).toMatch(/textures would take 1024 MB once decoded from 10 KB of image data \(the largest is 16383 x 16383 pixels\)/);
  const ordinary = await validateGlb(withTexture(webpClaiming(2048, 2048)));
  expect(ordinary.ok ? ordinary.stats.textures : ordinary.reason).toEqual([{ width: 2048, height: 2048, mimeType: 'image/webp', bytes: 10_000 }]);
});

// EXT_mesh_gpu_instancing: three's loader (the viewer) gives every primitive of the node's mesh its own
// InstancedMesh with a 64-byte matrix per instance, from 12 bytes of translation shared by all of them.
// Measured with three's GLTFLoader: this 12 MB file (a million instances, 20 primitives) made 1,292 MB.
it('a GLB whose GPU instancing would make gigabytes of instance matrices is refused; a modest one passes', async () => {
  const instanced = (primitives: number, instances: number) => {
    const bin = new Uint8Array(36 + instances * 12);
    new Float32Array(bin.buffer, 0, 9).set([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    return glbWithBin(
      {
        asset: { version: '2.0' },
        extensionsUsed: ['EXT_mesh_gpu_instancing'],
        extensionsRequired: ['EXT_mesh_gpu_instancing'],
        buffers: [{ byteLength: bin.byteLength }],
        bufferViews: [
          { buffer: 0, byteLength: 36, target: 34962 },
          { buffer: 0, byteOffset: 36, byteLength: instances * 12 },
        ],
        accessors: [
          { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] },
          { bufferView: 1, componentType: 5126, count: instances, type: 'VEC3' },
        ],
        meshes: [{ primitives: Array.from({ length: primitives }, () => ({ attributes: { POSITION: 0 } })) }],
        nodes: [{ mesh: 0, extensions: { EXT_mesh_gpu_instancing: { attributes: { TRANSLATION: 1 } } } }],
        scenes: [{ nodes: [0] }],
        scene: 0,
      },
      bin,
    );
  };
  const bomb = await validateGlb(instanced(20, 1_000_000));
  expect(bomb.ok).toBe(false);
  expect(bomb.ok ? '' : bomb.reason).toMatch(/places its meshes 1,000,000 times \(GPU instancing\): 1221 MB of instance data/);
  // A forest: 10,000 trees of 5 primitives.
  expect((await validateGlb(instanced(5, 10_000))).ok).toBe(true);
});
