// When the window asks FAL for its prices again (lib/price-refresh.ts): old or missing FAL prices, at
// most once an hour after a good ask, a few minutes after a failed one, never two at once.
import { describe, expect, it } from 'vitest';
import { PRICES_FRESH_MS, RETRY_AFTER_FAILURE_MS, shouldAskForPrices, type PriceAsks } from '../../src/renderer/src/lib/price-refresh';
import type { ModelSummary } from '../../src/shared/models';

const NOW = Date.UTC(2026, 11, 4, 2);

function model(provider: 'fal' | 'offline', asOf: number | null): ModelSummary {
  return {
    id: `${provider}-${asOf}`,
    label: provider,
    description: '',
    provider,
    images: { min: 1, max: 1 },
    views: null,
    presets: [],
    priceByPreset: { draft: 0.2, standard: 0.3, high: 0.4 },
    options: [],
    price: { source: asOf === null ? 'built_in' : 'fal', asOf, unit: null, unitPriceUsd: null },
  };
}

const never: PriceAsks = { lastAt: null, lastOk: false, running: false };

describe('shouldAskForPrices', () => {
  it('asks when no FAL price is shown, or the newest is an hour old', () => {
    expect(shouldAskForPrices([model('fal', null), model('offline', null)], NOW, never)).toBe(true);
    expect(shouldAskForPrices([model('fal', NOW - PRICES_FRESH_MS)], NOW, never)).toBe(true);
    expect(shouldAskForPrices([model('fal', NOW - PRICES_FRESH_MS + 1)], NOW, never)).toBe(false);
    // The newest FAL price counts (another model's may be kept from an earlier list).
    expect(shouldAskForPrices([model('fal', NOW - 5 * PRICES_FRESH_MS), model('fal', NOW - 60_000)], NOW, never)).toBe(false);
  });

  it('does not ask with no FAL generator, or while an ask is on its way', () => {
    expect(shouldAskForPrices([model('offline', null)], NOW, never)).toBe(false);
    expect(shouldAskForPrices([model('fal', null)], NOW, { lastAt: null, lastOk: false, running: true })).toBe(false);
  });

  it('after a failed ask waits a few minutes; after a good one, an hour', () => {
    const failed = (ago: number): PriceAsks => ({ lastAt: NOW - ago, lastOk: false, running: false });
    expect(shouldAskForPrices([model('fal', null)], NOW, failed(RETRY_AFTER_FAILURE_MS - 1))).toBe(false);
    expect(shouldAskForPrices([model('fal', null)], NOW, failed(RETRY_AFTER_FAILURE_MS))).toBe(true);
    const good = (ago: number): PriceAsks => ({ lastAt: NOW - ago, lastOk: true, running: false });
    // FAL answered but priced nothing usable: the built-in prices stay, and the window does not ask on every focus.
    expect(shouldAskForPrices([model('fal', null)], NOW, good(PRICES_FRESH_MS - 1))).toBe(false);
    expect(shouldAskForPrices([model('fal', null)], NOW, good(PRICES_FRESH_MS))).toBe(true);
  });
});
