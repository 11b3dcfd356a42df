// One entry of FAL's price list the app cannot read (a price that is text, below nothing, an entry
// with no endpoint) failed the whole refresh: every model stayed on old or built-in prices. Now only
// that entry is left out: the others are FAL's new prices, and its model keeps the price it had (with
// that price's date), or the built-in one. An entry whose model cannot be told may be any model's:
// every model the list does not price keeps its own.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { getModel } from '../../../src/core/models/catalog';
import { createPriceBook, PRICE_CACHE_FILE } from '../../../src/core/pricing/price-book';
import { describeModel } from '../../../src/core/models/summary';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const TRELLIS = 'fal-ai/trellis';
const HUNYUAN = 'fal-ai/hunyuan3d-v21';
let fake: FakeFal | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fake = dir = undefined;
});

type Entry = Record<string, unknown>;

/** Prices from the fake FAL, each entry passed through `garble` on the way. */
async function setUp(garble: { current: (entry: Entry) => Entry }) {
  fake = await startFakeFal({ platform: { prices: { [TRIPO]: { unitPrice: 0.24 }, [TRELLIS]: { unitPrice: 0.03 }, [HUNYUAN]: { unitPrice: 0.15 } } } });
  dir = mkdtempSync(join(tmpdir(), 'i2m-prices-'));
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (!new Headers(init?.headers).get('x-fal-target-url')?.includes('/models/pricing') || !response.ok) return response;
    const page = (await response.json()) as { prices: Entry[] };
    return new Response(JSON.stringify({ ...page, prices: page.prices.map(garble.current) }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const clock = { t: 1_800_000_000_000 };
  const warnings: string[] = [];
  const book = createPriceBook({
    dataDir: dir,
    platform: () => createPlatformClient({ key: 'test-key-123456', proxyUrl: fake!.url, retries: 0, fetch }),
    now: () => clock.t,
    logger: { warn: (message) => void warnings.push(message) },
  });
  return { book, clock, warnings, fake: fake };
}

const usdOf = (book: ReturnType<typeof createPriceBook>, id: string) => book.estimate(getModel(id)!, 'draft', {});

for (const [name, garbled] of [
  ['a price that is text', (entry: Entry) => ({ ...entry, unit_price: String(entry.unit_price) })],
  ['a price below nothing', (entry: Entry) => ({ ...entry, unit_price: -1 })],
] as const) {
  it(`an entry with ${name} is left out: that model keeps its earlier price, the others take FAL's new ones`, async () => {
    const garble = { current: (entry: Entry) => entry };
    const { book, clock, warnings, fake } = await setUp(garble);
    expect(await book.refresh()).toMatchObject({ ok: true });
    const first = clock.t;
    expect(usdOf(book, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: first });

    // Seven hours on FAL lists new prices, Tripo's entry garbled.
    clock.t += 7 * 3600_000;
    fake.setPlatform({ prices: { [TRIPO]: { unitPrice: 0.3 }, [TRELLIS]: { unitPrice: 0.05 }, [HUNYUAN]: { unitPrice: 0.2 } } });
    garble.current = (entry) => (entry.endpoint_id === TRIPO ? garbled(entry) : entry);
    expect(await book.refresh()).toMatchObject({ ok: true });
    expect(usdOf(book, TRELLIS)).toEqual({ usd: 0.05, source: 'fal', asOf: clock.t });
    expect(usdOf(book, HUNYUAN)).toMatchObject({ source: 'fal', asOf: clock.t });
    // Tripo keeps the price it had, dated when it was read.
    expect(usdOf(book, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: first });
    expect(warnings.join('\n')).toContain(`could not read (${TRIPO}; unit_price:`);
    // Another process reads the same prices from the cache.
    const other = createPriceBook({ dataDir: dir!, platform: () => null });
    expect(usdOf(other, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: first });
    expect(usdOf(other, TRELLIS)).toEqual({ usd: 0.05, source: 'fal', asOf: clock.t });

    // Read again later, still garbled: the same earlier price and date (not taken as new).
    clock.t += 7 * 3600_000;
    expect(await book.refresh()).toMatchObject({ ok: true });
    expect(usdOf(book, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: first });
  });
}

it('an unreadable entry with no price before leaves that model on its built-in price', async () => {
  const { book } = await setUp({ current: (entry) => (entry.endpoint_id === TRIPO ? { ...entry, unit_price: null } : entry) });
  expect(await book.refresh()).toMatchObject({ ok: true });
  const tripo = getModel(TRIPO)!;
  expect(usdOf(book, TRIPO)).toEqual({ usd: tripo.estimateCostUsd('draft', {}), source: 'built_in', asOf: null });
  expect(usdOf(book, TRELLIS)).toMatchObject({ usd: 0.03, source: 'fal' });
});

it('an entry whose model cannot be told: the models the list does not price keep their earlier prices', async () => {
  const garble = { current: (entry: Entry) => entry };
  const { book, clock, fake } = await setUp(garble);
  expect(await book.refresh()).toMatchObject({ ok: true });
  const first = clock.t;

  clock.t += 7 * 3600_000;
  fake.setPlatform({ prices: { [TRIPO]: { unitPrice: 0.3 }, [TRELLIS]: { unitPrice: 0.05 }, [HUNYUAN]: { unitPrice: 0.2 } } });
  // Hunyuan's entry lost its endpoint id: it could be any model's.
  garble.current = (entry) => (entry.endpoint_id === HUNYUAN ? { ...entry, endpoint_id: 7 } : entry);
  expect(await book.refresh()).toMatchObject({ ok: true });
  expect(usdOf(book, TRIPO)).toEqual({ usd: 0.3, source: 'fal', asOf: clock.t });
  expect(usdOf(book, HUNYUAN)).toMatchObject({ usd: 0.15, source: 'fal', asOf: first });
});

// A broken or hostile price list whose billing unit is a megabyte of text: that unit was stored in the
// price cache, sent to the window and printed by `image2model models`, whole.
const MEGABYTE_UNIT = 'generation '.repeat(100_000);
const unitOf = (book: ReturnType<typeof createPriceBook>, id: string) => book.describe(describeModel(getModel(id)!)).price?.unit;

it('an entry whose unit is a megabyte of text is left out: its model keeps its price and unit, nothing of it is stored', async () => {
  const garble = { current: (entry: Entry) => entry };
  const { book, clock, warnings, fake } = await setUp(garble);
  expect(await book.refresh()).toMatchObject({ ok: true });
  const first = clock.t;
  const unitBefore = unitOf(book, TRIPO);
  expect(unitBefore).toEqual(expect.any(String));

  clock.t += 7 * 3600_000;
  fake.setPlatform({ prices: { [TRIPO]: { unitPrice: 0.3 }, [TRELLIS]: { unitPrice: 0.05 }, [HUNYUAN]: { unitPrice: 0.2 } } });
  garble.current = (entry) => (entry.endpoint_id === TRIPO ? { ...entry, unit: MEGABYTE_UNIT } : entry);
  expect(await book.refresh()).toMatchObject({ ok: true });
  expect(usdOf(book, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: first });
  expect(unitOf(book, TRIPO)).toBe(unitBefore);
  expect(usdOf(book, TRELLIS)).toEqual({ usd: 0.05, source: 'fal', asOf: clock.t });
  expect(warnings.join('\n')).toContain(`could not read (${TRIPO}; unit: too_big`);
  expect(statSync(join(dir!, PRICE_CACHE_FILE)).size).toBeLessThan(10_000);
});

it('a price cache written with a megabyte unit (before it was capped) keeps its prices, the unit cut short', () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-prices-'));
  writeFileSync(join(dir, PRICE_CACHE_FILE), JSON.stringify({ fetchedAt: 1_800_000_000_000, prices: [{ endpointId: TRIPO, unitPrice: 0.24, unit: MEGABYTE_UNIT, currency: 'USD' }] }));
  const book = createPriceBook({ dataDir: dir, platform: () => null });
  expect(usdOf(book, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: 1_800_000_000_000 });
  expect(unitOf(book, TRIPO)).toBe(MEGABYTE_UNIT.slice(0, 100));
});

// A price for a model outside the catalog whose endpoint id is a megabyte of text: it was stored in the
// price cache with the others, whole.
const MEGABYTE_ID = `fal-ai/${'x'.repeat(1_000_000)}`;

it('an entry whose endpoint id is a megabyte of text is left out: nothing of it is stored, the others count', async () => {
  const garble = { current: (entry: Entry) => entry };
  const { book, clock, warnings } = await setUp(garble);
  const extra = (entry: Entry) => (entry.endpoint_id === TRELLIS ? { ...entry, endpoint_id: MEGABYTE_ID } : entry);
  garble.current = extra;
  expect(await book.refresh()).toMatchObject({ ok: true });
  expect(usdOf(book, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: clock.t });
  expect(warnings.join('\n')).toContain('could not read (a model the app did not ask about; endpoint_id: too_big');
  expect(statSync(join(dir!, PRICE_CACHE_FILE)).size).toBeLessThan(10_000);
});

it('a price cache written with a megabyte endpoint id (before it was capped) keeps its other prices, that entry dropped', async () => {
  const garble = { current: (entry: Entry) => entry };
  const { clock, fake } = await setUp(garble);
  writeFileSync(
    join(dir!, PRICE_CACHE_FILE),
    JSON.stringify({ fetchedAt: clock.t, prices: [{ endpointId: TRIPO, unitPrice: 0.24, unit: 'generation', currency: 'USD' }, { endpointId: MEGABYTE_ID, unitPrice: 0.1, unit: 'generation', currency: 'USD' }] }),
  );
  const book = createPriceBook({ dataDir: dir!, platform: () => createPlatformClient({ key: 'test-key-123456', proxyUrl: fake.url, retries: 0 }), now: () => clock.t });
  expect(usdOf(book, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: clock.t });
  // A list with an entry whose model cannot be told keeps every price it does not list: the dropped one is not written again.
  fake.setPlatform({ prices: { [TRELLIS]: { unitPrice: 0.05 } } });
  clock.t += 7 * 3600_000;
  const unplaced = createPriceBook({
    dataDir: dir!,
    platform: () =>
      createPlatformClient({
        key: 'test-key-123456',
        proxyUrl: fake.url,
        retries: 0,
        fetch: async (input, init) => {
          const response = await globalThis.fetch(input, init);
          if (!new Headers(init?.headers).get('x-fal-target-url')?.includes('/models/pricing')) return response;
          const page = (await response.json()) as { prices: Entry[] };
          return new Response(JSON.stringify({ ...page, prices: [...page.prices, { endpoint_id: 42, unit_price: 1 }] }), { status: 200, headers: { 'content-type': 'application/json' } });
        },
      }),
    now: () => clock.t,
  });
  expect(await unplaced.refresh()).toMatchObject({ ok: true });
  expect(usdOf(unplaced, TRIPO)).toMatchObject({ usd: 0.24, source: 'fal' });
  expect(statSync(join(dir!, PRICE_CACHE_FILE)).size).toBeLessThan(10_000);
});
