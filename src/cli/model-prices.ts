// Prices for `image2model models`: FAL's price list (cached in the data folder when it holds a library,
// refreshed when stale and a key is set), else the built-in prices, each labelled with what it is.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveDataDir } from '../core/paths';
import { shownTime } from '../core/reconcile/messages';
import type { ModelSummary } from '../shared/models';
import { cliOtherKeys } from './keys';
import { holdsLibrary, missingDataFolderNote, noLibraryNote } from './data-folder';

export async function withFalPrices(summaries: readonly ModelSummary[], opts: { dataDir?: string; falProxy?: string }): Promise<ModelSummary[]> {
  const [{ createPlatformClient }, { createPriceBook }] = await Promise.all([import('../core/fal/platform-client'), import('../core/pricing/price-book')]);
  const key = process.env.FAL_KEY?.trim() || null;
  const proxyUrl = opts.falProxy ?? process.env.IMAGE2MODEL_FAL_PROXY ?? null;
  const dataDir = resolve(resolveDataDir(opts.dataDir));
  // A listing makes no data folder (a mistyped --data-dir would become an empty one; a moved one could
  // not be put back) and writes nothing into a folder that holds no library (the home folder as
  // --data-dir), like the other read-only commands: FAL's prices are then read for this run only.
  const keep = holdsLibrary(dataDir);
  if (!existsSync(dataDir)) process.stderr.write(`${missingDataFolderNote(opts, "nothing was made there and FAL's prices are not kept")}\n`);
  else if (!keep) process.stderr.write(`${noLibraryNote(opts, dataDir, "nothing was written there and FAL's prices are not kept")}\n`);
  const book = createPriceBook({
    keep,
    dataDir,
    platform: () => (key ? createPlatformClient({ key, otherKeys: cliOtherKeys, proxyUrl, retries: 1, timeoutMs: 10_000 }) : null),
    makeFolder: false,
  });
  await book.refreshIfStale();
  return summaries.map((summary) => book.describe(summary));
}

/** "FAL price as of ..." or "built-in estimate" for one model line. */
export function priceLabel(summary: ModelSummary): string {
  if (summary.provider !== 'fal') return 'free, runs on this computer';
  const price = summary.price;
  return price?.source === 'fal' && price.asOf !== null ? `FAL price as of ${shownTime(price.asOf)}` : 'built-in estimate (FAL prices not available)';
}
