// The fake refuses multi-image inputs the way FAL does (422, pydantic-style detail) and records
// nothing for them, so the app's own checks are tested against a server that would catch a miss.
import { ValidationError } from '@fal-ai/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeFal, type FakeFal } from './server';
import { realClient, rejectionOf } from './helpers';

const MULTIVIEW = 'tripo3d/tripo/v2.5/multiview-to-3d';
const RODIN = 'fal-ai/hyper3d/rodin';
const TRELLIS_MULTI = 'fal-ai/trellis/multi';
const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://example.com/${i}.png`);

let fake: FakeFal | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function submit(endpoint: string, input: Record<string, unknown>) {
  fake = await startFakeFal({ processingMs: 0 });
  const { fal } = realClient(fake);
  return { fal, result: fal.queue.submit(endpoint, { input }) };
}

describe('fake FAL input rules for multi-image endpoints', () => {
  it('refuses a multiview job without a front image, naming the field', async () => {
    const { result } = await submit(MULTIVIEW, { left_image_url: urls(1)[0], back_image_url: urls(2)[1] });
    const error = await rejectionOf(result);
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.status).toBe(422);
    expect(validation.fieldErrors).toEqual([{ loc: ['body', 'front_image_url'], msg: 'field required', type: 'value_error.missing' }]);
    expect(fake!.submissions).toHaveLength(0);
  });

  it('accepts a multiview job with a front image and any other views', async () => {
    const { result } = await submit(MULTIVIEW, { front_image_url: urls(1)[0], right_image_url: urls(2)[1] });
    expect((await result).status).toBe('IN_QUEUE');
    expect(fake!.submissions).toHaveLength(1);
  });

  it('refuses more than five Rodin images and accepts five', async () => {
    const tooMany = await submit(RODIN, { input_image_urls: urls(6) });
    const error = (await rejectionOf(tooMany.result)) as ValidationError;
    expect(error.status).toBe(422);
    expect(error.fieldErrors[0]).toMatchObject({ loc: ['body', 'input_image_urls'], type: 'value_error.list.max_items' });
    await fake!.close();
    const five = await submit(RODIN, { input_image_urls: urls(5) });
    expect((await five.result).status).toBe('IN_QUEUE');
  });

  it('refuses TRELLIS multi-image without images, with an empty list or with a non-list', async () => {
    for (const input of [{}, { image_urls: [] }, { image_urls: urls(1)[0] }, { image_urls: [1, 2] }]) {
      const { result } = await submit(TRELLIS_MULTI, input);
      const error = (await rejectionOf(result)) as ValidationError;
      expect(error.status, JSON.stringify(input)).toBe(422);
      expect(error.fieldErrors[0]?.loc.slice(0, 2)).toEqual(['body', 'image_urls']);
      await fake!.close();
      fake = null;
    }
    const { result } = await submit(TRELLIS_MULTI, { image_urls: urls(3) });
    expect((await result).status).toBe('IN_QUEUE');
  });
});
