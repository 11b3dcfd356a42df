// FAL's usage (GET /v1/models/usage) from the fake server with a billing unit that is a megabyte of
// text: the client handed it on whole. A unit longer than a price's may be (MAX_PRICE_UNIT_CHARS) is a
// garbled row now, and usage is read whole or not at all: the answer is refused as an unexpected shape.
import { afterEach, expect, it } from 'vitest';
import { createPlatformClient, PlatformError } from '../../../src/core/fal/platform-client';
import { realClient, TRIPO } from '../../fake-fal/helpers';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';

const ADMIN = 'admin-key-0123456789';
let fake: FakeFal | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function usageWithUnit(unit: string) {
  fake = await startFakeFal({ processingMs: 20, platform: { adminKeys: [ADMIN], prices: { [TRIPO]: { unitPrice: 0.3, unit } } } });
  const { fal } = realClient(fake);
  const { request_id } = await fal.queue.submit(TRIPO, { input: { image_url: 'https://x/a.png' } });
  await fake.waitFor(request_id, 'COMPLETED');
  await fal.queue.result(TRIPO, { requestId: request_id });
  return createPlatformClient({ key: ADMIN, proxyUrl: fake.url, retries: 0 }).usage({ expand: ['summary', 'time_series'] });
}

it('a usage unit of a few words is read', async () => {
  const usage = await usageWithUnit('generation');
  expect(usage.summary?.[0]).toMatchObject({ endpoint_id: TRIPO, unit: 'generation', cost_total: 0.3 });
});

it('a usage unit that is a megabyte of text: the answer is refused, nothing of it handed on', async () => {
  const error = await usageWithUnit('generation '.repeat(100_000)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  expect(error).toMatchObject({ kind: 'bad_answer' });
  expect((error as Error).message.length).toBeLessThan(500);
});
