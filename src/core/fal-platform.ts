// FAL's platform API put to work for the app: reconciliation of uncertain submits, real prices,
// and real spend with the optional billing key. Built once per app core (Electron, browser
// transport, tests), on the engine's connection to the job database (FalPlatformDeps.db); built
// alone, on a connection of its own (WAL: safe alongside other processes').
import type { Job } from '../shared/domain';
import type { Settings } from '../shared/settings';
import { openDatabase, type Db } from './db/open';
import { getModel } from './models/catalog';
import { createPlatformClient, type PlatformClient } from './fal/platform-client';
import { createKeyMemory, redactKeys } from './fal/redact';
import { createPriceBook, type PriceBook } from './pricing/price-book';
import { JobStore, toJob, type JobRow } from './queue/store';
import { createReconciler, DEFAULT_RECONCILE_CONFIG, type ReconcileConfig, type Reconciler } from './reconcile/reconciler';
import type { KeyVault } from './services-types';
import { createSpendTracker, type SpendTracker } from './spend/tracker';
import { createHistorySettler } from './spend/history-settle';
import { reportBillableUnits } from './spend/units';
import { errorMessage } from './util/errors';

export interface FalPlatformDeps {
  dataDir: string;
  keys: KeyVault;
  billingKeys: KeyVault;
  settings: () => Settings;
  fetch?: typeof fetch;
  now?: () => number;
  logger: { info(message: string): void; warn(message: string): void };
  /** Test overrides (short settle time, fast retries). */
  reconcile?: Partial<ReconcileConfig>;
  /** A job went back to the queue: start claiming. */
  wake: () => void;
  /** How often the background checks run (reconcile due jobs, settle due possible charges; default 5 s). */
  pollMs?: number;
  /**
   * The process's connection to the database, shared with the engine (createAppCore), which closes it.
   * Default: a connection of its own, closed by stop().
   */
  db?: Db;
}

export interface FalPlatform {
  prices: PriceBook;
  spend: SpendTracker;
  reconciler: Reconciler;
  billingKeys: KeyVault;
  /**
   * Reads real charges and the balance, settles possible charges FAL's request history can settle
   * (spend/history-settle.ts), then lets the queue re-check the spending cap. `retryNow`: a
   * billing key was just saved - FAL is asked at once, even where a failing read waits (SpendTracker.sync).
   */
  syncSpend(opts?: { retryNow?: boolean }): Promise<void>;
  /**
   * syncSpend started and not waited for (a billing key was just saved): a failure is logged, as the
   * background timers' are, never an unhandled rejection; stop() waits for it.
   */
  syncSpendInBackground(opts?: { retryNow?: boolean }): void;
  /** The fetch the engine should use: reports X-Fal-Billable-Units to the spend tracker. */
  engineFetch(base: typeof fetch): typeof fetch;
  /**
   * Starts the background checks; `onJob` tells listeners about jobs reconciliation changed, and
   * `onSpendRead` that a read of FAL's charges and balance ended (the window shows when it was read).
   */
  start(onJob: (job: Job) => void, onSpendRead?: () => void): void;
  stop(): Promise<void>;
}

const SPEND_SYNC_MS = 5 * 60_000;
const PRICE_CHECK_MS = 60 * 60_000;

export function createFalPlatform(deps: FalPlatformDeps): FalPlatform {
  // Every key read here this run: an answer to a call made before a key was replaced (a proxy that
  // had the old one) may name it, and it is the user's secret still.
  const held = createKeyMemory();
  const safeGet = (vault: KeyVault) => {
    try {
      const key = vault.get();
      held.remember(key);
      return key;
    } catch {
      return null;
    }
  };
  // Both keys, everywhere: an answer to a call made with one key may name the other (a proxy holds
  // both) - and the keys held before them.
  const bothKeys = () => [safeGet(deps.keys), safeGet(deps.billingKeys), ...held.keys()];
  const redact = (text: string) => redactKeys(text, bothKeys());
  // Shared with the engine in the app (createAppCore); a connection of its own otherwise. In the
  // engine's process its checkpoint worker checkpoints for it too, and should the worker fail it
  // checkpoints in its commits again (db/checkpointer.ts).
  const db: Db = deps.db ?? openDatabase(deps.dataDir, { checkpointsInBackground: true });
  const jobs = new JobStore(db, redact);
  const now = deps.now ?? Date.now;
  const clientFor = (key: string | null): PlatformClient | null =>
    key ? createPlatformClient({ key, otherKeys: bothKeys, proxyUrl: deps.settings().falProxyUrl, fetch: deps.fetch }) : null;
  const logger = { info: (m: string) => deps.logger.info(redact(m)), warn: (m: string) => deps.logger.warn(redact(m)) };

  // A job's estimate was fixed when it was added: one added with no key, or while the prices were
  // stale, kept the built-in price after FAL's arrived - what the queue showed, what the spend counts
  // once it is sent. The jobs not sent yet are priced as a job added now would be; sent ones never.
  const reestimateUnsent = () => {
    const estimate = (job: JobRow): number | null => {
      const model = getModel(job.endpoint);
      if (!model) return null;
      try {
        return prices.estimate(model, job.preset, JSON.parse(job.optionsJson) as Record<string, unknown>).usd;
      } catch {
        return null;
      }
    };
    try {
      for (const row of jobs.reestimateUnsent(estimate)) emitJob(toJob(row));
    } catch (error) {
      logger.warn(`prices: the waiting jobs could not be priced again (${errorMessage(error)})`);
    }
  };
  const prices = createPriceBook({ dataDir: deps.dataDir, platform: () => clientFor(safeGet(deps.keys)), now, logger, onFresh: reestimateUnsent });
  const spend = createSpendTracker({
    db,
    now,
    billing: () => clientFor(safeGet(deps.billingKeys)),
    unitPrice: (endpoint) => prices.unitPrice(endpoint),
    logger,
    redact,
  });
  // Possible charges FAL's request history settles, read with the ordinary key (no billing key needed):
  // looked up soon after the job ended (the background check below), not at the next spend read.
  const settleFromHistory = createHistorySettler({
    db,
    now,
    logger,
    retryBaseMs: deps.reconcile?.retryBaseMs,
    onJob: (jobId) => {
      const row = jobs.get(jobId);
      if (row) emitJob(toJob(row));
    },
  });
  let settling: Promise<number> | null = null;
  /** One pass over the due possible charges (one at a time: a pass in flight is shared); how many it settled. */
  const settleDue = (): Promise<number> => {
    if (settling) return settling;
    const client = stopped ? null : clientFor(safeGet(deps.keys));
    if (!client) return Promise.resolve(0);
    settling = settleFromHistory(client)
      .then((report) => report.settled.length)
      .finally(() => {
        settling = null;
      });
    return settling;
  };
  let emitJob: (job: Job) => void = () => undefined;
  let spendRead: () => void = () => undefined;
  const reconciler = createReconciler({
    jobs,
    now,
    platform: () => clientFor(safeGet(deps.keys)),
    config: () => {
      const settings = deps.settings();
      return {
        ...DEFAULT_RECONCILE_CONFIG,
        settleMs: settings.reconcileSettleMinutes * 60_000,
        autoResubmit: settings.autoResubmitUnreceived,
        ...deps.reconcile,
      };
    },
    onJob: (row: JobRow) => emitJob(toJob(row)),
    wake: deps.wake,
    logger,
  });

  const timers: ReturnType<typeof setInterval>[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  // Background work nobody awaits: a failure is a log line naming the work, so the log says what failed.
  const quietly = (what: string, work: () => Promise<unknown>) => () => {
    if (stopped) return;
    const run = work().catch((error: unknown) => logger.warn(`${what} failed: ${errorMessage(error)}`));
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  };

  const platform: FalPlatform = {
    prices,
    spend,
    reconciler,
    billingKeys: deps.billingKeys,
    async syncSpend(opts) {
      await spend.sync(opts);
      await settleDue();
      if (stopped) return;
      deps.wake();
      // Whoever asked (Settings after a key was saved, the 5-minute timer): every window learns the read ended.
      spendRead();
    },
    syncSpendInBackground(opts) {
      quietly('spend: reading what FAL charged', () => platform.syncSpend(opts))();
    },
    engineFetch: (base) => reportBillableUnits(base, (requestId, units) => spend.recordUnits(requestId, units), redact),
    start(onJob, onSpendRead) {
      emitJob = onJob;
      if (onSpendRead) spendRead = onSpendRead;
      reconciler.start(deps.pollMs ?? 5_000);
      const refreshPrices = quietly('prices: refreshing the price list', () => prices.refreshIfStale());
      const syncSpend = quietly('spend: reading what FAL charged', () => platform.syncSpend());
      // A possible charge settled: the cap is checked again and every window shows the new figures.
      const settleSoon = quietly("spend: settling possible charges from FAL's request history", async () => {
        if ((await settleDue()) > 0 && !stopped) {
          deps.wake();
          spendRead();
        }
      });
      // Prices another process read (the CLI) or cached before jobs were added with none.
      reestimateUnsent();
      refreshPrices();
      syncSpend();
      timers.push(setInterval(refreshPrices, PRICE_CHECK_MS), setInterval(syncSpend, SPEND_SYNC_MS), setInterval(settleSoon, deps.pollMs ?? 5_000));
      for (const timer of timers) timer.unref?.();
    },
    async stop() {
      stopped = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
      await reconciler.stop();
      await Promise.all([...inFlight]);
      jobs.close();
      if (!deps.db) db.close();
    },
  };
  return platform;
}
