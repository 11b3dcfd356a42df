// Real prices from FAL (GET /v1/models/pricing), cached in the data folder with their age, and the
// estimates made from them. FAL prices one billing unit; the catalog's built-in prices say how many
// units a generation with given settings takes (the cheapest preset is one unit). When FAL cannot be
// asked and nothing is cached, the built-in prices stay, labelled as such.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { PRESETS, type Preset } from '../../shared/domain';
import type { ModelPrice, ModelSummary } from '../../shared/models';
import type { PlatformClient, UnreadablePrice } from '../fal/platform-client';
import { PlatformError } from '../fal/platform-errors';
import { localDateTime } from '../../shared/local-time';
import { MAX_ENDPOINT_ID_CHARS, MAX_EVENT_USD, MAX_PRICE_UNIT_CHARS } from '../fal/platform-schemas';
import { listModels } from '../models/catalog';
import { makeFolderSync } from '../util/make-folder';
import type { ModelDefinition } from '../models/types';
import { errorMessage } from '../util/errors';

export const PRICE_CACHE_FILE = 'fal-prices.json';

const CacheSchema = z.object({
  fetchedAt: z.number(),
  prices: z.array(
    z.object({
      endpointId: z.string(),
      unitPrice: z.number().nonnegative(),
      // Cut, not refused: a cache written before units were capped keeps its prices (refusing one entry fails the whole cache).
      unit: z.string().transform((unit) => unit.slice(0, MAX_PRICE_UNIT_CHARS)),
      currency: z.string(),
      /** When this price was read, if before the table's fetchedAt (kept from an earlier list: FAL's entry was unreadable). */
      fetchedAt: z.number().optional(),
    }),
  )
    // Dropped, not refused: a cache written before endpoint ids were capped keeps its other prices (an
    // overlong id is no catalog model's, and would be written again with every price kept).
    .transform((prices) => prices.filter((p) => p.endpointId.length <= MAX_ENDPOINT_ID_CHARS)),
});
type PriceCache = z.infer<typeof CacheSchema>;

export interface PriceEstimate {
  usd: number;
  source: 'fal' | 'built_in';
  /** When FAL gave the price (epoch ms); null for built-in prices. */
  asOf: number | null;
}

export interface PriceBook {
  /**
   * Asks FAL for the catalog's prices now; keeps the cache when FAL cannot be asked. `message` (with
   * ok) names the models whose price could not be refreshed (FAL listed one that cannot be used).
   */
  refresh(): Promise<{ ok: true; count: number; message: string | null } | { ok: false; message: string }>;
  /** Refreshes when the cache is older than maxAgeMs (or missing). Never throws. */
  refreshIfStale(): Promise<void>;
  estimate(model: ModelDefinition, preset: Preset, options: Record<string, unknown>): PriceEstimate;
  /** The model summary with prices from FAL where known, and what they are based on. */
  describe(summary: ModelSummary): ModelSummary;
  /** When the cached prices were fetched, or null. */
  fetchedAt(): number | null;
  /** FAL's listed USD price of one billing unit of this endpoint, or null. */
  unitPrice(endpointId: string): number | null;
}

export interface PriceBookDeps {
  dataDir: string;
  platform: () => PlatformClient | null;
  now?: () => number;
  /** After this long the cache is refreshed (default 6 h); older prices are still used, with their age. */
  maxAgeMs?: number;
  logger?: { warn(message: string): void };
  /** FAL's prices were read anew (the jobs not sent yet are priced again with them). */
  onFresh?: () => void;
  /** false: a missing data folder is never made for the cache (a listing); the prices stay in memory. Default true. */
  makeFolder?: boolean;
  /** false: the prices read are never written (a folder that holds no library is not written to); they stay in memory. Default true. */
  keep?: boolean;
}

/** Longest FAL's Retry-After holds back asking for prices (a bogus one must not stop refreshes for days). */
export const PRICE_WAIT_MAX_MS = 3600_000;

/** What one unit costs in the built-in table: the cheapest preset with no options. */
function builtInUnitPrice(model: ModelDefinition): number {
  return Math.min(...PRESETS.map((p) => model.estimateCostUsd(p, {})));
}

const roundCents = (usd: number) => Math.round(usd * 100) / 100;

/** What one generation costs at FAL's unit price: the built-in price in units of its cheapest preset. */
function falUsd(model: ModelDefinition, builtInUsd: number, unitPrice: number): number {
  return (builtInUsd / builtInUnitPrice(model)) * unitPrice;
}

/**
 * Why FAL's listed price cannot be used for `model`, or null when it can: not in USD, nothing (every
 * estimate $0 - and the spending cap would count nothing for what FAL charges), or making a generation
 * dearer than any charge FAL makes (MAX_EVENT_USD: garbled or hostile).
 */
function unusablePrice(model: ModelDefinition | undefined, price: { unitPrice: number; currency: string }): string | null {
  if (price.currency !== 'USD') return 'not in US dollars';
  if (!(price.unitPrice > 0)) return 'no price at all ($0)';
  const dearest = model ? Math.max(...PRESETS.map((p) => falUsd(model, model.estimateCostUsd(p, {}), price.unitPrice))) : price.unitPrice;
  if (!(Number.isFinite(dearest) && dearest <= MAX_EVENT_USD)) return 'far beyond any price FAL charges';
  return null;
}

export function createPriceBook(deps: PriceBookDeps): PriceBook {
  const file = join(deps.dataDir, PRICE_CACHE_FILE);
  const now = deps.now ?? Date.now;
  const maxAgeMs = deps.maxAgeMs ?? 6 * 3600_000;
  let cache: PriceCache | null = load();
  /** The data folder existed when the book was made, or its first cache made it (the CLI's first run); or may not be made. */
  let folderWasThere = existsSync(dirname(file)) || deps.makeFolder === false;
  let inFlight: Promise<Awaited<ReturnType<PriceBook['refresh']>>> | null = null;
  /**
   * Per key (its fingerprint, never the key): FAL asked (Retry-After) not to be asked with it again
   * before this (epoch ms). A refresh meanwhile does not ask with that key; another key asks at once,
   * and switching back to the first still keeps to its wait.
   */
  const waits = new Map<string, number>();
  const waitSentence = (until: number) => `FAL asked to wait until ${localDateTime(until)} before prices are asked for again; the prices shown stay until then.`;

  function load(): PriceCache | null {
    try {
      const parsed = CacheSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  function save(next: PriceCache): void {
    if (deps.keep === false) return;
    // A data folder moved or removed under the running app is not made anew at its old place (it would
    // block putting it back; engine/data-folder.ts): the prices stay in memory until it is back.
    if (folderWasThere && !existsSync(dirname(file))) {
      deps.logger?.warn('prices: the data folder is gone (moved or removed); the prices read are kept in memory only');
      return;
    }
    makeFolderSync(dirname(file)); // not a recursive mkdirSync: it never returns for /proc/self/<new>
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(next));
    renameSync(tmp, file);
    folderWasThere = true;
  }

  /** Another process may have refreshed meanwhile: the newest cache on disk wins. */
  let loadedAt = 0;
  function current(): PriceCache | null {
    if (Date.now() - loadedAt < 1_000) return cache;
    loadedAt = Date.now();
    const onDisk = load();
    if (onDisk && (!cache || onDisk.fetchedAt > cache.fetchedAt)) cache = onDisk;
    return cache;
  }

  function priceOf(endpointId: string): { unitPrice: number; unit: string; fetchedAt: number } | null {
    const table = current();
    // A unit priced beyond what one billing event may carry (MAX_EVENT_USD) is no price FAL charges.
    const price = table?.prices.find((p) => p.endpointId === endpointId && p.currency === 'USD' && p.unitPrice <= MAX_EVENT_USD);
    return table && price ? { unitPrice: price.unitPrice, unit: price.unit, fetchedAt: price.fetchedAt ?? table.fetchedAt } : null;
  }

  async function doRefresh(): Promise<Awaited<ReturnType<PriceBook['refresh']>>> {
    const client = deps.platform();
    if (!client) return { ok: false, message: 'No FAL key is set, so prices cannot be asked for.' };
    const waitUntil = waits.get(client.keyFingerprint) ?? 0;
    if (now() < waitUntil) return { ok: false, message: `Prices were not refreshed: ${waitSentence(waitUntil)}` };
    const models = new Map(listModels().filter((m) => m.provider === 'fal').map((m) => [m.id, m]));
    const endpoints = [...models.keys()];
    try {
      const unreadable: UnreadablePrice[] = [];
      const prices = await client.prices(endpoints, (entry) => void unreadable.push(entry));
      const at = now();
      const listedPrices = prices.map((p) => ({ endpointId: p.endpoint_id, unitPrice: p.unit_price, unit: p.unit, currency: p.currency }));
      // A price that reads but cannot be used ($0, absurd, not in USD) is left out like an unreadable
      // entry: its model keeps its last good price from FAL rather than falling back to the built-in one.
      const unusable = new Map<string, string>();
      for (const p of listedPrices) {
        const why = unusablePrice(models.get(p.endpointId), p);
        if (why !== null && !unusable.has(p.endpointId)) unusable.set(p.endpointId, why);
      }
      const fresh = listedPrices.filter((p) => !unusable.has(p.endpointId));
      // An entry that could not be read (a price that is no number, ...) is left out, and the rest of
      // the list counts: its model keeps the price it had (with that price's date), or the built-in
      // one. One whose model cannot be told could be any model's: every model the list does not
      // price keeps its own.
      const listed = new Set(fresh.map((p) => p.endpointId));
      const unplaced = unreadable.some((entry) => entry.endpointId === null);
      const named = new Set<string | null>([...unreadable.map((entry) => entry.endpointId), ...unusable.keys()]);
      const previous = current();
      const kept = (previous?.prices ?? [])
        .filter((p) => !listed.has(p.endpointId) && (unplaced || named.has(p.endpointId)))
        .map((p) => ({ ...p, fetchedAt: p.fetchedAt ?? previous!.fetchedAt }));
      for (const entry of unreadable) {
        // Its endpoint named only when it is the catalog's (the entry's own text may be anything).
        const which = entry.endpointId === null ? 'its model unknown' : endpoints.includes(entry.endpointId) ? entry.endpointId : 'a model the app did not ask about';
        deps.logger?.warn(`prices: FAL listed a price the app could not read (${which}; ${entry.problem}; #${entry.fingerprint}). It is left out; the price that model had is kept.`);
      }
      for (const [endpointId, why] of unusable) {
        const which = models.has(endpointId) ? endpointId : 'a model the app did not ask about';
        deps.logger?.warn(`prices: FAL listed a price the app cannot use (${which}: ${why}). It is left out; the price that model had is kept.`);
      }
      const next: PriceCache = { fetchedAt: at, prices: [...fresh, ...kept] };
      save(next);
      cache = next;
      try {
        deps.onFresh?.();
      } catch (error) {
        deps.logger?.warn(`prices: ${errorMessage(error)}`);
      }
      return { ok: true, count: fresh.length, message: notRefreshed(models, [...named], kept) };
    } catch (error) {
      let message = errorMessage(error);
      if (error instanceof PlatformError && error.retryAfterMs !== null && error.retryAfterMs > 0) {
        // A wait FAL asked for (429, 503): kept to with this key, not asked again early - also by the
        // window's own tries. Waits already over are dropped (a long session may see many keys).
        const until = now() + Math.min(error.retryAfterMs, PRICE_WAIT_MAX_MS);
        for (const [key, at] of waits) if (at <= now()) waits.delete(key);
        waits.set(client.keyFingerprint, until);
        message = `${message} ${waitSentence(until)}`;
      }
      deps.logger?.warn(`prices: ${message}`);
      return { ok: false, message };
    }
  }

  const book: PriceBook = {
    refresh() {
      inFlight ??= doRefresh().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    async refreshIfStale() {
      const table = current();
      if (table && now() - table.fetchedAt < maxAgeMs) return;
      await book.refresh();
    },
    estimate(model, preset, options) {
      const builtIn = model.estimateCostUsd(preset, options);
      if (model.provider !== 'fal') return { usd: builtIn, source: 'built_in', asOf: null };
      const price = priceOf(model.id);
      if (!price || !(builtInUnitPrice(model) > 0)) return { usd: builtIn, source: 'built_in', asOf: null };
      const usd = falUsd(model, builtIn, price.unitPrice);
      // A price that makes one generation cost more than any billing event may (MAX_EVENT_USD: a
      // garbled or hostile price list, 1e308) is no price FAL charges: the built-in one stays.
      if (!(Number.isFinite(usd) && usd >= 0 && usd <= MAX_EVENT_USD)) return { usd: builtIn, source: 'built_in', asOf: null };
      return { usd, source: 'fal', asOf: price.fetchedAt };
    },
    describe(summary) {
      const model = listModels().find((m) => m.id === summary.id);
      if (!model || model.provider !== 'fal') return { ...summary, price: { source: 'built_in', asOf: null, unit: null, unitPriceUsd: null } };
      const found = priceOf(model.id);
      const byPreset = Object.fromEntries(PRESETS.map((p) => [p, roundCents(book.estimate(model, p, {}).usd)])) as ModelSummary['priceByPreset'];
      const price: ModelPrice = found
        ? { source: 'fal', asOf: found.fetchedAt, unit: found.unit, unitPriceUsd: found.unitPrice }
        : { source: 'built_in', asOf: null, unit: null, unitPriceUsd: null };
      return { ...summary, priceByPreset: byPreset, price };
    },
    fetchedAt: () => current()?.fetchedAt ?? null,
    unitPrice: (endpointId) => priceOf(endpointId)?.unitPrice ?? null,
  };
  return book;
}

/**
 * For the user: the catalog's models whose listed price could not be used or read this time, and what
 * they are priced at meanwhile (their last price from FAL, or the built-in one). Null when none.
 */
function notRefreshed(models: ReadonlyMap<string, ModelDefinition>, failed: readonly (string | null)[], kept: readonly { endpointId: string }[]): string | null {
  const ours = [...new Set(failed)].filter((id): id is string => id !== null && models.has(id));
  if (ours.length === 0) return null;
  const keptIds = new Set(kept.map((p) => p.endpointId));
  const names = (ids: string[]) => ids.map((id) => models.get(id)!.label).join(', ');
  const lastGood = ours.filter((id) => keptIds.has(id));
  const builtIn = ours.filter((id) => !keptIds.has(id));
  const parts = [
    lastGood.length > 0 ? `${names(lastGood)} ${lastGood.length === 1 ? 'keeps its' : 'keep their'} last price from FAL (its date is shown with it)` : null,
    builtIn.length > 0 ? `${names(builtIn)} ${builtIn.length === 1 ? 'uses its' : 'use their'} built-in price` : null,
  ].filter((part) => part !== null);
  return `FAL listed a price the app cannot use, so ${ours.length === 1 ? 'one price' : 'some prices'} could not be refreshed: ${parts.join('; ')}. Refresh prices again later; if it stays so, compare with the model's page on fal.ai.`;
}
