// Composition root: turns the engine, stores and platform into the handlers the IPC contract names.
// Both transports (Electron IPC and the browser bridge) and the tests serve exactly these handlers.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AppInfo, EventSink, Handlers } from '../shared/contract';
import { AppError } from '../shared/result';
import { getModel, listModels } from './models/catalog';
import { appGenerator } from '../shared/default-generator';
import { asApplied } from '../shared/settings';
import { describeModel } from './models/summary';
import { exportModel } from './library/export-model';
import { safeFileStem } from './util/file-stem';
import type { Platform } from './platform';
import type { EngineApi, KeyVault, SettingsStore } from './services-types';
import { testFalKey, type KeyTestResult } from './keys/test-key';
import { createExportService, type ExportService } from './export/service';
import { exportHandlers } from './export/handlers';
import { createExportFolders } from './export/folders';
import type { FalPlatform } from './fal-platform';
import { createPlatformHandlers, unavailablePlatformHandlers } from './platform-handlers';
import { checkProxyUrl, DIRECT_TO_FAL, type FalRoute } from './fal/key-guard';
import type { FalRouteStore } from './keys/route-store';
import { sampleHandlers } from './samples/handlers';
import { createChosenPaths, type ChosenPaths } from './chosen-paths';
import { intakeHandlers } from './intake-handlers';
import { folderGoneCheck, modelWhileFolderGone } from './engine/data-folder';
import type { FolderWatch } from './watch-folder';
import { watchHandlers } from './watch-folder/handlers';
import { WATCH_OFF } from '../shared/watch';

export interface ServiceDeps {
  engine: EngineApi;
  keys: KeyVault;
  settings: SettingsStore;
  platform: Platform;
  appInfo: Omit<AppInfo, 'falKey'>;
  /** Where FAL calls (and the key) go; changed only through `proxy:set` after the user confirms. */
  route: FalRouteStore;
  /** The network for key:test (already behind the key guard in app-core); default global fetch. */
  fetch?: typeof fetch;
  /** Allowed hosts for shell:openExternal (https only). */
  externalAllowlist?: readonly string[];
  /** The export studio's service (made here when not given). */
  exports?: ExportService;
  /** Reconciliation, real prices and real spend (FAL's platform API). */
  falPlatform?: FalPlatform;
  /** The folder the sample photos ship in (resources/samples); none: no samples are offered. */
  samplesDir?: string | null;
  /** Paths the user chose outside the page (dialogs, drops); the only paths from the page that are used. */
  chosenPaths?: ChosenPaths;
  /** The watched folder (none: the watch channels answer "off" and refuse to turn it on). */
  watch?: FolderWatch;
}

export const DEFAULT_EXTERNAL_ALLOWLIST = ['fal.ai', 'docs.fal.ai', 'github.com'] as const;

/** Test key's answer when the key or the proxy changed while FAL was asked (the answer was about the one before). */
export const KEY_CHANGED_DURING_TEST: KeyTestResult = {
  result: 'unchecked',
  message: 'The FAL key or proxy was changed while the key was being tested, so that answer is not about the key set now. Press Test key again.',
};

const notFound = (what: string) => new AppError('not_found', `${what} was not found. It may have been deleted.`);

export function createHandlers(deps: ServiceDeps): Handlers {
  const { engine, keys, settings, platform, route } = deps;
  const proxyView = (current: FalRoute = route.get()) => ({ url: current.proxyUrl, sendKey: current.proxyUrl !== null && current.sendKeyToProxy });
  const applyRoute = (next: FalRoute) => {
    route.set(next);
    engine.setFalProxyUrl(next.proxyUrl);
    // settings.falProxyUrl only mirrors the confirmed route, for display.
    if (settings.get().falProxyUrl !== next.proxyUrl) settings.set({ falProxyUrl: next.proxyUrl });
  };
  const allowlist = deps.externalAllowlist ?? DEFAULT_EXTERNAL_ALLOWLIST;
  const dataFolderGone = folderGoneCheck(deps.appInfo.dataDir);
  const modelFile = (id: string) => {
    const path = engine.library.filePath(id);
    if (!path) throw notFound('That model');
    if (dataFolderGone()) throw modelWhileFolderGone(deps.appInfo.dataDir, engine.library.get(id)?.name ?? id);
    return path;
  };
  const jobDefaults = (opts: { endpoint?: string; preset?: 'draft' | 'standard' | 'high' }) => {
    const current = settings.get();
    return { endpoint: opts.endpoint ?? appGenerator(current, keys.status().set), preset: opts.preset ?? current.defaultPreset };
  };

  const exports = deps.exports ?? createExportService(engine.library, deps.appInfo.dataDir);
  const exportFolders = createExportFolders(settings, deps.appInfo.dataDir);

  return {
    ...exportHandlers({ exports, engine, settings, dataDir: deps.appInfo.dataDir, platform, folders: exportFolders }),
    'app:info': async () => {
      const status = keys.status();
      return { ...deps.appInfo, falKey: { configured: status.set, source: status.source } };
    },

    // jobs:add, addFolder, addSet, pick: paths from the page only when the user chose them.
    ...intakeHandlers({ engine, platform, chosen: deps.chosenPaths ?? createChosenPaths(), jobDefaults }),
    'jobs:list': async () => engine.listJobs(),
    'jobs:cancel': async ({ id }) => engine.cancel(id),
    'jobs:retry': async ({ id, confirm, mode }) => engine.retry(id, { confirm, mode }),
    'jobs:remove': async ({ id }) => ({ removed: engine.remove(id) }),
    'jobs:clearFinished': async () => ({ removed: engine.clearFinished() }),
    'jobs:setModel': async ({ id, endpoint, preset }) => engine.setModel(id, { endpoint, preset }),

    'queue:state': async () => engine.queueState(),
    'cost:summary': async () =>
      deps.falPlatform ? deps.falPlatform.spend.summary(settings.get().spendingCapUsd) : engine.costSummary(settings.get().spendingCapUsd),
    'models:list': async () => listModels().map(describeModel).map((summary) => deps.falPlatform?.prices.describe(summary) ?? summary),

    'library:list': async (query) => engine.library.list(query),
    'library:get': async ({ id }) => engine.library.get(id) ?? (() => { throw notFound('That model'); })(),
    'library:rename': async ({ id, name }) => engine.library.rename(id, name),
    'library:delete': async ({ id }) => ({ deleted: engine.library.delete(id) }),
    'library:setTags': async ({ id, tags }) => engine.library.setTags(id, [...new Set(tags)]),
    'library:remake': async ({ modelId, endpoint, preset }) => {
      const model = engine.library.get(modelId);
      if (!model) throw notFound('That model');
      const source = model.jobId ? engine.inputPath(model.jobId) : null;
      const bytes = source ? await readFile(source).catch(() => null) : null;
      if (!source || !bytes) {
        throw new AppError('not_found', 'The photo this model was made from is no longer kept (its job was cleared from the queue), so it cannot be made again.');
      }
      // The usual intake: same checks, duplicate detection and estimate as a dropped photo.
      return engine.addImages([{ kind: 'bytes', name: model.sourceName ?? basename(source), bytes: new Uint8Array(bytes) }], { endpoint, preset });
    },

    'settings:get': async () => settings.get(),
    'settings:set': async (patch) => {
      // The page may not move FAL calls (and the key) elsewhere: that takes `proxy:set` and the user's yes.
      if (patch.falProxyUrl !== undefined && patch.falProxyUrl !== route.get().proxyUrl) {
        throw new AppError('invalid_input', 'The FAL proxy is changed in Settings > Advanced, and the app asks you to confirm it first.');
      }
      // The output folder is one the user picked (export:chooseFolder), never a path typed in the page.
      if (patch.outputFolder && !exportFolders.allows(patch.outputFolder)) {
        throw new AppError('invalid_input', 'Choose the output folder with the Choose… button in Settings > Generation.');
      }
      // A generator the app does not offer would only fail every photo added later (the watch's too).
      for (const id of [patch.defaultModel, patch.watchModel]) {
        if (typeof id === 'string' && !getModel(id)) {
          throw new AppError('invalid_input', 'That generator is not one the app offers. Choose one from the list in Settings > Generation.');
        }
      }
      const next = settings.set(asApplied(patch));
      if (patch.concurrency !== undefined) engine.setConcurrency(next.concurrency);
      if (patch.spendingCapUsd !== undefined) engine.limitsChanged();
      return next;
    },

    'key:status': async () => keys.status(),
    'key:set': async ({ key, allowWeak }) => {
      const status = keys.set(key, { allowWeak });
      engine.keyChanged();
      return status;
    },
    'key:clear': async () => {
      const status = keys.clear();
      engine.keyChanged();
      return status;
    },
    'key:test': async () => {
      const key = keys.get();
      const asked = route.get();
      const tested = await testFalKey(key, { route: asked, fetch: deps.fetch });
      // A key saved (or a proxy set) while FAL was asked: the answer is about the one before, which
      // the window would show as the new key's - a bad key reported as accepted, and jobs resumed on it.
      const now = route.get();
      if (keys.get() !== key || now.proxyUrl !== asked.proxyUrl || now.sendKeyToProxy !== asked.sendKeyToProxy) return KEY_CHANGED_DURING_TEST;
      // A key FAL refused jobs with (a used-up balance, topped up since) is tried again once a test
      // passes; before, only saving a key resumed the queue. Refused again, it pauses again, unpaid.
      if (tested.result === 'accepted') engine.keyChanged();
      return tested;
    },

    'proxy:get': async () => proxyView(),
    'proxy:set': async ({ url, sendKey }) => {
      if (url === null || url.trim() === '') {
        // Back to FAL directly: nothing to confirm, the key only goes to FAL's own hosts.
        applyRoute(DIRECT_TO_FAL);
        return { applied: true, proxy: proxyView() };
      }
      const checked = checkProxyUrl(url.trim());
      if (!checked.ok) throw new AppError('invalid_input', checked.message);
      const proxyUrl = checked.url.toString();
      const confirmed = await platform.confirmProxy({ url: proxyUrl, host: checked.url.host, sendKey });
      if (!confirmed) return { applied: false, proxy: proxyView() };
      applyRoute({ proxyUrl, sendKeyToProxy: sendKey });
      return { applied: true, proxy: proxyView() };
    },

    'export:model': async ({ id, format }) => {
      const model = engine.library.get(id);
      if (!model) throw notFound('That model');
      const src = modelFile(id);
      const target = await platform.chooseSavePath(`${safeFileStem(model.name)}.${format}`, format);
      if (!target) return { path: null };
      // Named "chair v1.2" in the dialog: ".2" is no extension; the file gets the format's own.
      const finalPath = target.toLowerCase().endsWith(`.${format}`) ? target : `${target}.${format}`;
      await exportModel(src, finalPath, format, model);
      return { path: finalPath };
    },
    'shell:reveal': async ({ id }) => {
      await platform.revealInFolder(modelFile(id));
      return { done: true };
    },
    'shell:openModel': async ({ id }) => {
      await platform.openWithDefaultApp(modelFile(id));
      return { done: true };
    },
    'shell:openExternal': async ({ url }) => {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' || !allowlist.includes(parsed.hostname)) {
        throw new AppError('invalid_input', `Links to ${parsed.hostname || 'that address'} are not opened by the app.`);
      }
      await platform.openExternal(parsed.toString());
      return { done: true };
    },
    'shell:startDrag': async ({ id }) => {
      await platform.startDrag(modelFile(id));
      return { done: true };
    },

    'stats:get': async (query) => engine.stats.report(query),
    ...sampleHandlers({ engine, jobDefaults, samplesDir: deps.samplesDir ?? null }),
    ...(deps.watch ? watchHandlers({ watch: deps.watch, platform, settings }) : noWatchHandlers()),
    ...(deps.falPlatform ? createPlatformHandlers(deps.falPlatform, settings) : unavailablePlatformHandlers()),
  };
}

/** For a composition without the watched folder (a few unit tests build handlers by hand). */
function noWatchHandlers(): Pick<Handlers, 'watch:status' | 'watch:chooseFolder' | 'watch:setEnabled'> {
  const unavailable = async (): Promise<never> => {
    throw new AppError('unsupported', 'The watched folder is not available here.');
  };
  return { 'watch:status': async () => WATCH_OFF, 'watch:chooseFolder': unavailable, 'watch:setEnabled': unavailable };
}

/** Forwards engine events to a transport's event sink; returns a function that stops forwarding. */
export function forwardEngineEvents(engine: EngineApi, emit: EventSink): () => void {
  const offs = [
    engine.on('job', (job) => emit('job:changed', job)),
    engine.on('queue', (state) => emit('queue:changed', state)),
    engine.on('library', (change) => emit('library:changed', change)),
    engine.on('presets', () => emit('presets:changed', undefined)),
  ];
  return () => offs.forEach((off) => off());
}

