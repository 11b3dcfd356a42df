// Attack: FAL's answer names a small GLB (a few hundred KB) whose node hierarchy is tens of thousands
// of levels deep, or whose JSON nests arrays that deep. The Khronos validator walks both recursively:
// its stack overflows inside its own async code, where no try/catch reaches - an uncaught exception
// that ends the CLI (and again on every resume, which fetches the same file), or a check that never
// answers and leaves the job "Checking the model" for ever. Such a file is refused before the
// validator sees it: the job fails with a clear reason, and the engine lives on. Also here: a tiny
// file that claims gigabytes of geometry (see the last test).
import { afterEach, expect, it } from 'vitest';
import { validateGlb } from '../../src/core/library/glb';
import { packGlb } from '../core/library/helpers';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A GLB with only a JSON chunk holding `json` (padded to 4 bytes). */
function glbOf(json: string): Uint8Array {
  const text = Buffer.from(json + ' '.repeat((4 - (Buffer.byteLength(json) % 4)) % 4));
  const head = Buffer.alloc(20);
  head.write('glTF', 0, 'latin1');
  head.writeUInt32LE(2, 4);
  head.writeUInt32LE(20 + text.length, 8);
  head.writeUInt32LE(text.length, 12);
  head.writeUInt32LE(0x4e4f534a, 16); // JSON
  return new Uint8Array(Buffer.concat([head, text]));
}

/** Each node the only child of the one before. */
const deepNodes = (depth: number, scene: boolean) =>
  glbOf(
    JSON.stringify({
      asset: { version: '2.0' },
      nodes: Array.from({ length: depth }, (_, i) => (i + 1 < depth ? { children: [i + 1] } : {})),
      ...(scene && { scenes: [{ nodes: [0] }], scene: 0 }),
    }),
  );
const deepExtras = (depth: number) => glbOf(`{"asset":{"version":"2.0"},"extras":${'['.repeat(depth)}${']'.repeat(depth)}}`);

it.each([
  ['a 20,000-level node chain in a scene', deepNodes(20_000, true)],
  ['a 20,000-level node chain in no scene', deepNodes(20_000, false)],
  ['JSON nested 50,000 levels deep', deepExtras(50_000)],
])('%s is refused before the validator runs, with a reason', async (_label, bytes) => {
  const result = await validateGlb(bytes);
  expect(result.ok).toBe(false);
  expect(result.ok ? '' : result.reason).toMatch(/deep/);
});

it('ordinary depths still pass', async () => {
  expect((await validateGlb(deepNodes(50, true))).ok).toBe(true);
  expect((await validateGlb(deepExtras(20))).ok).toBe(true);
});

it('a job whose model has a node chain deep enough to overflow the validator fails with a reason; the engine lives on', async () => {
  h = await createHarness();
  const bomb = deepNodes(20_000, true);
  h.fake.script({ op: 'file', when: (req) => req.targetUrl.includes('.glb'), times: Infinity, fault: { kind: 'http', status: 200, body: bomb } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job.state).toBe('failed');
  expect(job.errorCode).toBe('invalid_result');
  expect(job.errorMessage).toMatch(/deep/);
  expect(h.fake.submissions).toHaveLength(1);
  // The engine still works: the next job (a good model) succeeds.
  h.fake.clearScript();
  const next = await waitForJob(h.engine, await addOne(h.engine), inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(next.state).toBe('succeeded');
}, 30_000);

// A 250-byte file whose accessor has no bufferView and claims 300 million vertices: the validator
// accepts it (such an accessor is all zeros), the library listed it as 100 million triangles, and the
// viewer (three's loader) or an export would allocate 3.6 GB for it.
it('a GLB claiming gigabytes of geometry it does not hold (accessors without data) is refused with a reason', async () => {
  const claim = (count: number) =>
    glbOf(
      JSON.stringify({
        asset: { version: '2.0' },
        accessors: [{ componentType: 5126, count, type: 'VEC3', min: [0, 0, 0], max: [0, 0, 0] }],
        meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
        nodes: [{ mesh: 0 }],
        scenes: [{ nodes: [0] }],
      }),
    );
  const bomb = await validateGlb(claim(300_000_000));
  expect(bomb.ok).toBe(false);
  expect(bomb.ok ? '' : bomb.reason).toMatch(/not in the file/);
  // A small one (as sparse morph targets use) still passes.
  expect((await validateGlb(claim(3_000))).ok).toBe(true);
});


// The same bomb through meshopt compression: a bufferView whose EXT_meshopt_compression decodes to
// count x byteStride bytes, over a fallback buffer that holds nothing. The validator accepted a 768-byte
// file claiming 100 million vertices (1.2 GB for the viewer's or an export's decoder to allocate).
it('a GLB whose meshopt-compressed data would decode to gigabytes is refused with a reason', async () => {
  const meshoptClaim = (count: number, stride = 12) =>
    packGlb(
      {
        asset: { version: '2.0' },
        extensionsUsed: ['EXT_meshopt_compression'],
        extensionsRequired: ['EXT_meshopt_compression'],
        buffers: [{ byteLength: 64 }, { byteLength: count * stride, extensions: { EXT_meshopt_compression: { fallback: true } } }],
        bufferViews: [
          {
            buffer: 1,
            byteLength: count * stride,
            byteStride: stride,
            target: 34962,
            extensions: { EXT_meshopt_compression: { buffer: 0, byteOffset: 0, byteLength: 64, byteStride: stride, count, mode: 'ATTRIBUTES' } },
          },
        ],
        accessors: [{ bufferView: 0, componentType: 5126, count, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 1] }],
        meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
        nodes: [{ mesh: 0 }],
        scenes: [{ nodes: [0] }],
      },
      new Uint8Array(64),
    );
  const bomb = await validateGlb(meshoptClaim(100_000_000));
  expect(bomb.ok).toBe(false);
  expect(bomb.ok ? '' : bomb.reason).toMatch(/1144 MB of geometry that is not in the file.*compressed/);
  // A small compressed model is no bomb.
  expect((await validateGlb(meshoptClaim(300))).ok).toBe(true);
});
