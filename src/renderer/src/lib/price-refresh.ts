// When the window asks FAL for its prices again (prices:refresh): on opening and on coming back to the
// front, only when the FAL prices it shows are an hour old or more (or it shows none yet), and not
// again within a few minutes of an attempt that failed (offline, no key, FAL's API down) - the prices
// shown stay until a refresh succeeds. The core refreshes too (at start, and hourly when 6 h old); the
// window's own ask covers a window opened before that ended, and one left open for days.
import type { ModelSummary } from '../../../shared/models';

/** FAL prices younger than this are not asked for again. */
export const PRICES_FRESH_MS = 60 * 60_000;
/** After a failed attempt, the next one waits this long. */
export const RETRY_AFTER_FAILURE_MS = 5 * 60_000;

export interface PriceAsks {
  /** When the window last asked (epoch ms), or null. */
  lastAt: number | null;
  lastOk: boolean;
  /** An ask is on its way: no second one. */
  running: boolean;
}

/** The newest date of a FAL price among the models shown, or null when none is FAL's. */
export function newestFalPrice(models: readonly ModelSummary[]): number | null {
  let newest: number | null = null;
  for (const model of models) {
    const asOf = model.provider === 'fal' && model.price?.source === 'fal' ? model.price.asOf : null;
    if (asOf !== null && (newest === null || asOf > newest)) newest = asOf;
  }
  return newest;
}

export function shouldAskForPrices(models: readonly ModelSummary[], now: number, asks: PriceAsks): boolean {
  if (asks.running || !models.some((model) => model.provider === 'fal')) return false;
  if (asks.lastAt !== null && now - asks.lastAt < (asks.lastOk ? PRICES_FRESH_MS : RETRY_AFTER_FAILURE_MS)) return false;
  const newest = newestFalPrice(models);
  return newest === null || now - newest >= PRICES_FRESH_MS;
}
