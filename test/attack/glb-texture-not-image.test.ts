// Attack: FAL's answer names a GLB whose texture is not an image glTF allows - an SVG, an HTML page, a
// GIF - labelled image/png or image/webp. The Khronos validator only warns, and the texture's size was
// then unknown (0 x 0), so the decode budget (attack/glb-reader-amplification) let it through. An
// export's texture step and the USDZ writer hand the bytes to sharp, which goes by the content: it
// rendered the SVG at whatever size it declares - 120 bytes became a 16000 x 16000 PNG (3 s, 376 MB
// here; an SVG filter costs far more) - and decoded the GIF. A data: URI that is not plain base64 was
// let through too (glTF-Transform reads it as the text after the first comma, a browser percent-
// decodes it: two readers, two images). Now such a model is refused at ingest (the job fails with the
// reason) and by export, for a file stored before.
import sharp from 'sharp';
import { afterEach, expect, it } from 'vitest';
import { validateGlb } from '../../src/core/library/glb';
import { runRecipe } from '../../src/core/export/pipeline';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { packGlb } from '../core/library/helpers';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A triangle whose material's texture is `image` (embedded in the BIN chunk, or as the image's URI). */
function withTexture(image: Uint8Array | string, mimeType: string): Uint8Array {
  const embedded = typeof image === 'string' ? new Uint8Array(0) : image;
  const bin = new Uint8Array(64 + embedded.byteLength + ((4 - (embedded.byteLength % 4)) % 4));
  bin.set(new Uint8Array(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1]).buffer), 0);
  bin.set(embedded, 64);
  const webp = mimeType === 'image/webp';
  return packGlb(
    {
      asset: { version: '2.0' },
      ...(webp && { extensionsUsed: ['EXT_texture_webp'], extensionsRequired: ['EXT_texture_webp'] }),
      buffers: [{ byteLength: bin.byteLength }],
      bufferViews: [
        { buffer: 0, byteLength: 36, target: 34962 },
        { buffer: 0, byteOffset: 36, byteLength: 24, target: 34962 },
        ...(typeof image === 'string' ? [] : [{ buffer: 0, byteOffset: 64, byteLength: embedded.byteLength }]),
      ],
      accessors: [
        { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] },
        { bufferView: 1, componentType: 5126, count: 3, type: 'VEC2' },
      ],
      images: [typeof image === 'string' ? { uri: image, mimeType } : { bufferView: 2, mimeType }],
      textures: [webp ? { extensions: { EXT_texture_webp: { source: 0 } } } : { source: 0 }],
      materials: [{ pbrMetallicRoughness: { baseColorTexture: { index: 0 } } }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0, TEXCOORD_0: 1 }, material: 0 }] }],
      nodes: [{ mesh: 0 }],
      scenes: [{ nodes: [0] }],
      scene: 0,
    },
    bin,
  );
}

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="16000" height="16000"><rect width="100%" height="100%" fill="red"/></svg>';
const bytes = (text: string) => new TextEncoder().encode(text);

const HOSTILE: [string, () => Promise<Uint8Array>][] = [
  ['an SVG labelled image/png', async () => withTexture(bytes(SVG), 'image/png')],
  ['an SVG labelled image/webp', async () => withTexture(bytes(SVG), 'image/webp')],
  ['an HTML page labelled image/png', async () => withTexture(bytes('<!doctype html><script>fetch("http://example.com/")</script>'), 'image/png')],
  ['a GIF labelled image/png', async () => withTexture(new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } }).gif().toBuffer()), 'image/png')],
  ['an SVG in a data: URI that is not base64', async () => withTexture(`data:image/png,${SVG}`, 'image/png')],
];

it.each(HOSTILE)('a model whose texture is %s is refused, and no export decodes it', async (_label, make) => {
  const glb = await make();
  const checked = await validateGlb(glb);
  expect(checked.ok ? 'accepted' : checked.reason).toMatch(/image 0 is (not a PNG, JPEG, WebP or KTX2 image|a data: URI that is not plain base64)/);
  // A file stored before this check: export (the texture step, USDZ's PNG) refuses it too.
  const recipe = ExportRecipeSchema.parse({ formats: ['glb', 'usdz'], textures: { maxSize: null, format: 'webp' } });
  await expect(runRecipe(glb, recipe, 'model')).rejects.toThrow(/Cannot export: .*image 0/);
});

it('an ordinary PNG texture, embedded or as a base64 data: URI, still passes', async () => {
  const png = new Uint8Array(await sharp({ create: { width: 16, height: 16, channels: 3, background: 'red' } }).png().toBuffer());
  for (const glb of [withTexture(png, 'image/png'), withTexture(`data:image/png;base64,${Buffer.from(png).toString('base64')}`, 'image/png')]) {
    const checked = await validateGlb(glb);
    expect(checked.ok ? checked.stats.textures : checked.reason).toEqual([{ width: 16, height: 16, mimeType: 'image/png', bytes: png.byteLength }]);
  }
});

it('a job whose model has an SVG for a texture fails with the reason; the next job succeeds', async () => {
  h = await createHarness();
  const hostile = withTexture(bytes(SVG), 'image/png');
  h.fake.script({ op: 'file', when: (req) => req.targetUrl.includes('.glb'), times: Infinity, fault: { kind: 'http', status: 200, body: hostile } });
  const job = await waitForJob(h.engine, await addOne(h.engine), inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job.state).toBe('failed');
  expect(job.errorCode).toBe('invalid_result');
  expect(job.errorMessage).toMatch(/image 0 is not a PNG, JPEG, WebP or KTX2 image/);
  h.fake.clearScript();
  const next = await waitForJob(h.engine, await addOne(h.engine), inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(next.state).toBe('succeeded');
}, 30_000);
