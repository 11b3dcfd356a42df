// Attack: FAL's preview image (Tripo's render, Rodin's texture) is a flat PNG of huge size - 16000 x
// 16000 pixels is 776 KB, well under the preview's download cap. It was kept because it is a PNG, and
// the library's card showed it: the window decodes an image whole whatever the card's size, and took
// ~1 GB and seconds for it (measured in Chromium). Now a preview over 4096 x 4096 pixels is not kept
// (a journal line says why; the card shows the photo instead); the model itself is kept.
import sharp from 'sharp';
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const flatPng = async (side: number) =>
  new Uint8Array(await sharp({ create: { width: side, height: side, channels: 3, background: '#808080' } }).png({ compressionLevel: 9 }).toBuffer());

it.each([
  [5000, false],
  [2048, true],
])('a preview image %i pixels a side is kept: %s; the model is kept either way', async (side, kept) => {
  const preview = await flatPng(side);
  h = await createHarness({ fake: { previewImage: async () => preview } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job.state).toBe('succeeded');
  expect(h.engine.library.get(job.modelId!)!.hasPreview).toBe(kept);
  const lines = h.engine.jobEvents(id).map((e) => e.message ?? '');
  if (kept) expect(lines.filter((line) => line.startsWith('Preview image not kept'))).toEqual([]);
  else expect(lines).toContain(`Preview image not kept: it is ${side} x ${side} pixels, more than a preview needs`);
}, 30_000);
