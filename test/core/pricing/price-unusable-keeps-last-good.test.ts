// A price FAL lists that cannot be used - nothing ($0 a unit: every estimate $0, and the spending cap
// would count nothing for what FAL charges), or far beyond any price FAL charges - replaced the model's
// earlier good price from FAL, and the estimates then fell back to the built-in price. Such a price is
// now left out like an unreadable entry: the model keeps its last good price from FAL (with that
// price's date), and the refresh says which model's price could not be refreshed and what to do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { getModel } from '../../../src/core/models/catalog';
import { createPriceBook } from '../../../src/core/pricing/price-book';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const TRELLIS = 'fal-ai/trellis';
let fake: FakeFal | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fake = dir = undefined;
});

async function setUp(prices: Record<string, { unitPrice: number }>) {
  fake = await startFakeFal({ platform: { prices } });
  dir = mkdtempSync(join(tmpdir(), 'i2m-prices-'));
  const clock = { t: 1_800_000_000_000 };
  const warnings: string[] = [];
  const book = createPriceBook({
    dataDir: dir,
    platform: () => createPlatformClient({ key: 'test-key-123456', proxyUrl: fake!.url, retries: 0 }),
    now: () => clock.t,
    logger: { warn: (message) => void warnings.push(message) },
  });
  return { book, clock, warnings, fake };
}

const usdOf = (book: ReturnType<typeof createPriceBook>, id: string) => book.estimate(getModel(id)!, 'draft', {});

for (const [name, unitPrice] of [
  ['$0', 0],
  ['an absurd price ($5,000 a unit)', 5000],
  ['a price that makes one model cost more than any charge FAL makes ($900 a unit)', 900],
] as const) {
  it(`FAL listing ${name} keeps the model's last good price from FAL and says it could not be refreshed`, async () => {
    const { book, clock, warnings, fake } = await setUp({ [TRIPO]: { unitPrice: 0.24 }, [TRELLIS]: { unitPrice: 0.03 } });
    expect(await book.refresh()).toMatchObject({ ok: true });
    const first = clock.t;

    clock.t += 7 * 3600_000;
    fake.setPlatform({ prices: { [TRIPO]: { unitPrice }, [TRELLIS]: { unitPrice: 0.05 } } });
    const result = await book.refresh();
    expect(usdOf(book, TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: first });
    expect(book.describe({ id: TRIPO } as Parameters<typeof book.describe>[0]).price).toMatchObject({ source: 'fal', unitPriceUsd: 0.24, asOf: first });
    expect(usdOf(book, TRELLIS)).toEqual({ usd: 0.05, source: 'fal', asOf: clock.t });
    expect(warnings.join('\n')).toContain(TRIPO);
    // Another process reads the kept price from the cache.
    expect(usdOf(createPriceBook({ dataDir: dir!, platform: () => null }), TRIPO)).toEqual({ usd: 0.24, source: 'fal', asOf: first });
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining('Tripo v2.5') });
    expect(result.ok && result.message).toMatch(/could not be refreshed: Tripo v2\.5 keeps its last price from FAL.*Refresh prices again later/s);
  });
}

it('an unusable price for a model FAL never priced before leaves it on its built-in price, and says so', async () => {
  const { book } = await setUp({ [TRIPO]: { unitPrice: 0 }, [TRELLIS]: { unitPrice: 0.03 } });
  const result = await book.refresh();
  const tripo = getModel(TRIPO)!;
  expect(usdOf(book, TRIPO)).toEqual({ usd: tripo.estimateCostUsd('draft', {}), source: 'built_in', asOf: null });
  expect(usdOf(book, TRELLIS)).toMatchObject({ usd: 0.03, source: 'fal' });
  expect(result.ok && result.message).toMatch(/Tripo v2\.5.*built-in price/s);
});
