// The wait FAL asks for after a 429 on the price list was one for the whole price book: after the user
// replaced a rate-limited key with another, the prices were still not asked for until the old key's
// Retry-After ran out. The wait now belongs to the key it was asked of: a new key asks at once, and
// going back to the old key still keeps to its wait.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { createPriceBook } from '../../../src/core/pricing/price-book';
import { localDateTime } from '../../../src/shared/local-time';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';

const SLOWED = 'key-slowed-0123456789';
const FRESH = 'key-fresh-0123456789';

let fake: FakeFal | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fake = dir = undefined;
});

it('a 429 with Retry-After holds back only the key it was asked of', async () => {
  fake = await startFakeFal({ platform: { rateLimitedKeys: { [SLOWED]: 120 } } });
  dir = mkdtempSync(join(tmpdir(), 'i2m-price-key-wait-'));
  const now = { t: Date.now() };
  let key = SLOWED; // what the key vault holds now
  const book = createPriceBook({ dataDir: dir, platform: () => createPlatformClient({ key, proxyUrl: fake!.url, retries: 0 }), now: () => now.t });
  const askedWith = (k: string) => fake!.requestsFor('platform').filter((r) => r.authorization === `Key ${k}`).length;

  const slowed = await book.refresh();
  expect(slowed).toEqual({ ok: false, message: expect.stringContaining(`FAL asked to wait until ${localDateTime(now.t + 120_000)}`) });
  expect(askedWith(SLOWED)).toBe(1);

  // The user replaces the key: the new one is asked at once, and the prices come.
  key = FRESH;
  now.t += 10_000;
  expect(await book.refresh()).toMatchObject({ ok: true, count: expect.any(Number) });
  expect(askedWith(FRESH)).toBe(1);
  expect(book.fetchedAt()).toBe(now.t);

  // Back to the old key within its wait: FAL is not asked with it, even though it would now answer.
  fake.setPlatform({ rateLimitedKeys: {} });
  key = SLOWED;
  now.t += 50_000;
  expect(await book.refresh()).toEqual({ ok: false, message: `Prices were not refreshed: FAL asked to wait until ${localDateTime(now.t + 60_000)} before prices are asked for again; the prices shown stay until then.` });
  expect(askedWith(SLOWED)).toBe(1);

  // Its wait over: asked again.
  now.t += 61_000;
  expect(await book.refresh()).toMatchObject({ ok: true });
  expect(askedWith(SLOWED)).toBe(2);
});
