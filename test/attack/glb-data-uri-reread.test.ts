// Attack: FAL's answer names a GLB whose buffer is a large data: URI and whose many images all read a
// part of it. The model's check (its image check and its library figures) decoded the whole URI again
// for every image: 300 images over one 20 MB data: URI - a 28 MB file - took the check 70 s, and a
// file of thousands of images would hold the job at "Checking the model" for hours. Now each data: URI
// is decoded once per check.
import { afterEach, expect, it, vi } from 'vitest';
import { validateGlb } from '../../src/core/library/glb';
import { packGlb } from '../core/library/helpers';
import { makeTestPng } from '../fixtures/make-glb';

afterEach(() => {
  vi.restoreAllMocks();
});

it('many images over one large data: URI buffer: the URI is decoded once, and the model passes', async () => {
  const png = new Uint8Array(await makeTestPng(16, 16, { seed: 1 }));
  const data = new Uint8Array(4 * 1024 * 1024);
  data.set(png, 0);
  const uri = `data:application/octet-stream;base64,${Buffer.from(data).toString('base64')}`;
  const images = 100;
  const glb = packGlb({
    asset: { version: '2.0' },
    buffers: [{ byteLength: data.byteLength, uri }],
    bufferViews: [{ buffer: 0, byteLength: png.byteLength }],
    images: Array.from({ length: images }, () => ({ bufferView: 0, mimeType: 'image/png' })),
  });

  const from = Buffer.from.bind(Buffer) as (...args: unknown[]) => Buffer;
  let decodes = 0;
  vi.spyOn(Buffer, 'from').mockImplementation(((...args: unknown[]) => {
    if (args[1] === 'base64' && typeof args[0] === 'string' && args[0].length > 1_000_000) decodes++;
    return from(...args);
  }) as typeof Buffer.from);

  const checked = await validateGlb(glb);
  expect(checked.ok ? checked.stats.textures.length : checked.reason).toBe(images);
  expect(decodes).toBe(1);
}, 60_000);
