// Attack: FAL's answer names a GLB whose many images all name one buffer view holding a large JPEG of
// tiny segments (its size is found only by walking them). The model's check read that header again for
// every image, three times (the image check, the plain model's data check, the library figures): 100
// images over a 1 MB such JPEG took 0.35 s, and 20,000 images (a 1 MB JSON) over 50 MB would hold the job
// at "Checking the model" for most of an hour. Now each view's header is read once per check.
import { afterEach, expect, it, vi } from 'vitest';
import { validateGlb } from '../../src/core/library/glb';
import { packGlb } from '../core/library/helpers';

const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/core/library/image-header', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/core/library/image-header')>();
  // Either reads a header (inspectImageHeader also says what is damaged in it).
  const inspectImageHeader = (bytes: Uint8Array) => (reads.count++, original.inspectImageHeader(bytes));
  const readImageHeader = (bytes: Uint8Array) => (reads.count++, original.readImageHeader(bytes));
  return { ...original, inspectImageHeader, readImageHeader };
});

afterEach(() => {
  reads.count = 0;
});

/** A 16 x 16 JPEG header (a whole frame header: 3 components) behind `segments` empty APP0 segments (4 bytes each). */
function segmentedJpeg(segments: number): Uint8Array {
  const frameHeader = [0xff, 0xc0, 0x00, 0x11, 8, 0, 16, 0, 16, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const jpeg = new Uint8Array(2 + segments * 4 + frameHeader.length);
  jpeg.set([0xff, 0xd8]);
  for (let i = 0; i < segments; i++) jpeg.set([0xff, 0xe0, 0x00, 0x02], 2 + i * 4);
  jpeg.set(frameHeader, 2 + segments * 4);
  return jpeg;
}

it('many images over one buffer view: its header is read once, and the model passes with each image counted', async () => {
  const jpeg = segmentedJpeg(10_000);
  const bin = new Uint8Array((jpeg.byteLength + 3) & ~3);
  bin.set(jpeg);
  const images = 200;
  const glb = packGlb(
    {
      asset: { version: '2.0' },
      buffers: [{ byteLength: bin.byteLength }],
      bufferViews: [{ buffer: 0, byteLength: jpeg.byteLength }],
      images: Array.from({ length: images }, () => ({ bufferView: 0, mimeType: 'image/jpeg' })),
    },
    bin,
  );
  const result = await validateGlb(glb);
  if (!result.ok) throw new Error(result.reason);
  expect(result.stats.textures).toHaveLength(images);
  expect(result.stats.textures.every((t) => t.width === 16 && t.height === 16 && t.mimeType === 'image/jpeg')).toBe(true);
  expect(reads.count).toBe(1);
});
