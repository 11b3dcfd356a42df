// Builds the whole app core (engine, handlers, dispatcher) the same way for Electron, the browser
// transport, the CLI and tests; each passes its own key vault, settings store and platform.
import { makeFolderSync } from './util/make-folder';
import { openDatabase, type Db } from './db/open';
import type { AppInfo, EventSink } from '../shared/contract';
import { createEngine, type Engine } from './engine';
import { DEFAULT_INPUT_LIMITS } from './images/limits';
import { createDispatcher, type Dispatch } from './ipc/dispatch';
import { dataPaths } from './paths';
import type { Platform } from './platform';
import { createHandlers, forwardEngineEvents } from './services';
import type { EngineApi, KeyVault, SettingsStore } from './services-types';
import { resolveFileRoute, type ResolvedFile } from './file-routes';
import { startAutoExport } from './auto-export';
import { join } from 'node:path';
import { createExportService } from './export/service';
import { createFalPlatform, type FalPlatformDeps } from './fal-platform';
import { createMemoryKeyVault } from './keys/memory-vault';
import { keyGuardFetch } from './fal/key-guard';
import { createMemoryRouteStore, type FalRouteStore } from './keys/route-store';
import { createChosenPaths, type ChosenPaths } from './chosen-paths';
import { nodeFetch } from './fal/node-fetch';
import { assertDataFolderInPlace, rememberDataFolder } from './data-folder-record';
import { createFolderWatch, type FolderWatch } from './watch-folder';
import { appGenerator } from '../shared/default-generator';
import { observeSettings } from './settings/change-events';
import { fail } from '../shared/result';

/** The answer to a call that comes once the app is closing: nothing was read or changed. */
export const APP_CLOSING = fail('closing', 'The app is closing, so this was not done. Open the app again to go on.');

export interface Logger {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export interface AppCoreOptions {
  dataDir: string;
  keys: KeyVault;
  settings: SettingsStore;
  platform: Platform;
  appInfo: Omit<AppInfo, 'falKey'>;
  logger: Logger;
  /** Where FAL calls and the key go (default: FAL directly). Never taken from the page's settings. */
  route?: FalRouteStore;
  /** The network below the key guard (tests stand in for FAL's hosts here); default global fetch. */
  fetch?: typeof fetch;
  /** Overrides for tests (fast backoff, fake clock, ...). */
  engineOverrides?: Partial<Parameters<typeof createEngine>[0]>;
  /** The optional admin key for real spend (default: FAL_ADMIN_KEY from the environment, in memory). */
  billingKeys?: KeyVault;
  /** Overrides for tests (reconcile timing, fetch). */
  platformOverrides?: Partial<Pick<FalPlatformDeps, 'reconcile' | 'pollMs' | 'fetch' | 'now'>>;
  /** The folder the sample photos ship in (resources/samples); none: no samples are offered. */
  samplesDir?: string | null;
  /**
   * The record of data folders that held a library (data-folder-record.ts): when given, a start on
   * such a folder gone missing is refused before anything is made there. `startFresh` ends the
   * message: how this front end starts an empty library instead.
   */
  knownFolders?: { file: string; startFresh: string };
}

export interface AppCore {
  engine: EngineApi;
  dispatch: Dispatch;
  resolveFile(route: string): ResolvedFile | null;
  /** Paths the user chose outside the page; Electron's main adds what the preload reports for drops. */
  chosenPaths: ChosenPaths;
  /** Starts forwarding events to a transport and starts the queue. */
  start(emit: EventSink): Promise<void>;
  /** Stops the watch, the platform work and the queue, then closes the engine (its database, its worker threads). */
  stop(): Promise<void>;
  /** The machine is shutting down: see Engine.releaseUnsentNow. Synchronous. */
  releaseUnsentNow(): number;
  /** The watched folder (Settings > Watched folder); runs between start() and stop(). */
  watch: FolderWatch;
}

export function createAppCore(options: AppCoreOptions): AppCore {
  const paths = dataPaths(options.dataDir);
  // Every change reaches every window (settings:changed), whoever made it: a window, the watch, main.
  const settingsStore = observeSettings(options.settings);
  if (options.knownFolders) assertDataFolderInPlace(options.dataDir, options.knownFolders.file, options.knownFolders.startFresh);
  makeFolderSync(paths.root); // not a recursive mkdirSync: it never returns for /proc/self/<new>
  const route = options.route ?? createMemoryRouteStore();
  // A proxy in the settings file that the route store does not hold was never confirmed: drop it.
  if (settingsStore.get().falProxyUrl !== route.get().proxyUrl) settingsStore.set({ falProxyUrl: route.get().proxyUrl });
  // Every FAL call (engine, key test, platform API) passes the key guard with the confirmed route, read per call,
  // over keep-alive node:http (fal/node-fetch.ts).
  const guard = (base: typeof fetch | undefined) => keyGuardFetch(base ?? options.fetch ?? nodeFetch, () => route.get());
  // One connection for the process, the engine's (it closes it): a commit on a second connection
  // empties the other's page cache and looks to its change watch like another process's work. With
  // the units record FAL reports for each result written on a connection of its own, the engine
  // re-read its pages after each one: read syscalls per job 94 on two connections, 38 on one (300 jobs).
  const db = openDatabase(options.dataDir, { checkpointsInBackground: true });
  let engine: Engine | null = null;
  try {
    return assemble(options, settingsStore, route, guard, db, (made) => (engine = made));
  } catch (error) {
    // Nothing is left open by a start that failed (a data folder whose `library` is a file): the
    // engine, once made, closes the connection with its own parts; before that it is closed here.
    if (engine === null) db.close();
    else void (engine as Engine).close().catch((closeError: unknown) => options.logger.error('closing after a failed start failed', closeError));
    throw error;
  }
}

/** Everything on the open connection; `made` hears of the engine as soon as it exists. */
function assemble(
  options: AppCoreOptions,
  settingsStore: ReturnType<typeof observeSettings>,
  route: FalRouteStore,
  guard: (base: typeof fetch | undefined) => typeof fetch,
  db: Db,
  made: (engine: Engine) => void,
): AppCore {
  const settings = settingsStore.get();
  const guarded = guard(options.engineOverrides?.fetch);
  const falPlatform = createFalPlatform({
    db,
    dataDir: options.dataDir,
    keys: options.keys,
    billingKeys: options.billingKeys ?? createMemoryKeyVault(process.env, 'FAL_ADMIN_KEY'),
    settings: () => settingsStore.get(),
    logger: options.logger,
    wake: () => engine.limitsChanged(),
    ...options.platformOverrides,
    fetch: guard(options.platformOverrides?.fetch),
  });
  const engine = createEngine({
    db,
    dataDir: options.dataDir,
    getFalKey: () => options.keys.get(),
    getOtherKeys: () => [falPlatform.billingKeys.get()],
    falProxyUrl: route.get().proxyUrl,
    concurrency: settings.concurrency,
    getSpendingCapUsd: () => settingsStore.get().spendingCapUsd,
    // Read at each add: a changed upload limit or long side applies to the next photo, not after a restart.
    inputLimits: () => {
      const current = settingsStore.get();
      return { ...DEFAULT_INPUT_LIMITS, maxFileBytes: current.uploadLimitMb * 1024 * 1024, maxLongSide: current.maxLongSide };
    },
    logger: options.logger,
    // The cap counts FAL's real charges where known; new jobs are priced from FAL's price list.
    spendBetween: (from, to) => falPlatform.spend.spendBetween(from, to),
    estimateCostUsd: (model, preset, opts) => falPlatform.prices.estimate(model, preset, opts).usd,
    // FAL's models are large: the check worker starts while FAL works, and checks every model.
    glbWorker: { warmForFal: true },
    // The first photos dropped after launch do not wait for sharp to load.
    warmUp: async () => (await import('./images')).warmUpImages(),
    ...options.engineOverrides,
    // Reads X-Fal-Billable-Units off result answers (real units for the spend view), behind the key guard.
    fetch: falPlatform.engineFetch(guarded),
  });
  made(engine);
  if (options.knownFolders) rememberDataFolder(options.dataDir, options.knownFolders.file);
  const exports = createExportService(engine.library, options.dataDir, undefined, options.logger);
  const chosenPaths = createChosenPaths();
  const watch = createFolderWatch({
    settings: settingsStore,
    dataDir: options.dataDir,
    addImages: (items, opts) => engine.addImages(items, opts),
    jobOptions: () => {
      const current = settingsStore.get();
      return { endpoint: current.watchModel ?? appGenerator(current, options.keys.status().set), preset: current.watchPreset ?? current.defaultPreset };
    },
    // The app writes images into these (prepared photos, exported textures): taking them would loop.
    excludedRoots: () => {
      const current = settingsStore.get();
      return [options.dataDir, ...(current.outputFolder ? [current.outputFolder] : []), ...current.exportFolders];
    },
    logger: options.logger,
  });
  const handlers = createHandlers({
    watch,
    chosenPaths,
    exports,
    engine,
    keys: options.keys,
    settings: settingsStore,
    platform: options.platform,
    appInfo: options.appInfo,
    falPlatform,
    route,
    fetch: guarded,
    samplesDir: options.samplesDir,
  });
  const served = createDispatcher(handlers, options.logger);
  // Once stop() began, a call from a window or tab still open (Electron's before-quit, the browser
  // transport's close) would reach stores that are closing or closed: it gets a plain answer instead.
  let stopping: Promise<void> | null = null;
  const dispatch: Dispatch = (channel, input) => (stopping ? Promise.resolve(APP_CLOSING) : served(channel, input));
  let stopForwarding: (() => void) | null = null;
  /** The engine is closing or closed (the end of stop()): nothing more is read from its database. */
  let closed = false;
  return {
    engine,
    dispatch,
    // A window still open after the stop (Electron quits once stop() ends) asking for a model or
    // preview gets "not found", not a rejected request from a closed database.
    resolveFile: (route) => (closed ? null : resolveFileRoute(engine, route, options.samplesDir)),
    chosenPaths,
    async start(emit) {
      const stopEvents = forwardEngineEvents(engine, emit);
      const stopAutoExport = startAutoExport(engine, settingsStore, join(options.dataDir, 'exports'), options.logger, exports, (title, body) =>
        options.platform.notify(title, body),
      );
      const stopExportProgress = exports.onProgress((progress) => emit('export:progress', progress));
      const stopWatchEvents = watch.onChange((status) => emit('watch:changed', status));
      const stopSettingsEvents = settingsStore.onChange((settings) => emit('settings:changed', settings));
      stopForwarding = () => {
        stopSettingsEvents();
        stopEvents();
        stopAutoExport();
        stopExportProgress();
        stopWatchEvents();
      };
      await engine.start();
      watch.start();
      falPlatform.start(
        (job) => emit('job:changed', job),
        () => emit('cost:changed', falPlatform.spend.summary(settingsStore.get().spendingCapUsd)),
      );
    },
    // The machine shutting down after the stop: the stop gave every job back already.
    releaseUnsentNow: () => (closed ? 0 : engine.releaseUnsentNow()),
    watch,
    stop() {
      stopping ??= (async () => {
        // First, so images being added reach the queue before it closes.
        await watch.stop();
        stopForwarding?.();
        await falPlatform.stop();
        await engine.stop();
        // Then closed: its database connection and worker threads (the GLB checks, WAL checkpoints)
        // lived on until the process ended - for the browser transport's server, for ever.
        closed = true;
        await engine.close();
      })();
      return stopping;
    },
  };
}
