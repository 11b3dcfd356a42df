// Real prices: read from the fake FAL's pricing endpoint, cached in the data folder with their
// date, used for estimates; the built-in prices stay, labelled, when FAL cannot be asked.
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { getModel, listModels } from '../../../src/core/models/catalog';
import { describeModel } from '../../../src/core/models/summary';
import { createPriceBook } from '../../../src/core/pricing/price-book';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
let fake: FakeFal | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fake = dir = undefined;
});

describe('price book', () => {
  it('shows FAL prices with their date, keeps them when FAL is down, and falls back to labelled built-in prices', async () => {
    fake = await startFakeFal({ platform: { prices: { [TRIPO]: { unitPrice: 0.24, unit: 'generation' }, 'fal-ai/trellis': { unitPrice: 0.03 } } } });
    dir = mkdtempSync(join(tmpdir(), 'i2m-prices-'));
    let t = 1_800_000_000_000;
    const platform = () => createPlatformClient({ key: 'test-key-123456', proxyUrl: fake!.url, retries: 0 });
    const book = createPriceBook({ dataDir: dir, platform, now: () => t });
    const tripo = getModel(TRIPO)!;
    const summary = describeModel(tripo);

    // Nothing asked yet: the built-in prices, labelled as such.
    expect(book.describe(summary)).toMatchObject({ priceByPreset: summary.priceByPreset, price: { source: 'built_in', asOf: null } });
    expect(book.estimate(tripo, 'standard', {})).toEqual({ usd: tripo.estimateCostUsd('standard', {}), source: 'built_in', asOf: null });

    expect(await book.refresh()).toEqual({ ok: true, count: 2, message: null });
    // One unit is the cheapest preset (Tripo without texture); the others scale with it.
    const draftUnits = tripo.estimateCostUsd('draft', {});
    expect(book.describe(summary)).toMatchObject({
      price: { source: 'fal', asOf: t, unit: 'generation', unitPriceUsd: 0.24 },
      priceByPreset: {
        draft: 0.24,
        standard: Math.round((tripo.estimateCostUsd('standard', {}) / draftUnits) * 0.24 * 100) / 100,
        high: Math.round((tripo.estimateCostUsd('high', {}) / draftUnits) * 0.24 * 100) / 100,
      },
    });
    expect(book.estimate(getModel('fal-ai/trellis')!, 'standard', {})).toMatchObject({ usd: 0.03, source: 'fal', asOf: t });
    // A model FAL has no price for keeps its built-in price.
    const rodin = listModels().find((m) => m.id === 'fal-ai/hyper3d/rodin')!;
    expect(book.estimate(rodin, 'standard', {}).source).toBe('built_in');

    // FAL down: the cached prices stay, with their age; another process reads the same cache.
    fake.setPlatform({ down: 503 });
    t += 7 * 3600_000;
    expect(await book.refresh()).toMatchObject({ ok: false });
    expect(book.estimate(tripo, 'draft', {})).toMatchObject({ usd: 0.24, source: 'fal', asOf: t - 7 * 3600_000 });
    const other = createPriceBook({ dataDir: dir, platform: () => null });
    expect(other.describe(summary).price).toMatchObject({ source: 'fal', unitPriceUsd: 0.24 });
  });

  it('does not make a moved data folder anew at its old place: the prices read stay in memory', async () => {
    fake = await startFakeFal({ platform: { prices: { [TRIPO]: { unitPrice: 0.24, unit: 'generation' } } } });
    dir = mkdtempSync(join(tmpdir(), 'i2m-prices-'));
    const data = join(dir, 'data');
    const moved = join(dir, 'moved');
    const book = createPriceBook({ dataDir: data, platform: () => createPlatformClient({ key: 'test-key-123456', proxyUrl: fake!.url, retries: 0 }) });
    expect(await book.refresh()).toMatchObject({ ok: true }); // the first cache makes the folder (the CLI's first run)
    renameSync(data, moved);

    expect(await book.refresh()).toMatchObject({ ok: true });
    expect(existsSync(data)).toBe(false);
    expect(book.estimate(getModel(TRIPO)!, 'draft', {})).toMatchObject({ usd: 0.24, source: 'fal' });
  });
});
