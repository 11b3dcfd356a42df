// The export studio's contract channels, served from the export service.
import type { Handlers } from '../../shared/contract';
import { AppError } from '../../shared/result';
import { lowLevelExportError } from '../util/low-level-error';
import { ModelFileError } from '../library/model-file';
import { NOT_CHOSEN_EXPORT_FOLDER } from '../chosen-paths';
import type { Platform } from '../platform';
import type { EngineApi, SettingsStore } from '../services-types';
import { createExportFolders, type ExportFolders } from './folders';
import { ExportFolderError, ExportNotFoundError, type ExportService } from './service';

type ExportChannels =
  | 'export:presets'
  | 'export:savePreset'
  | 'export:deletePreset'
  | 'export:plan'
  | 'export:run'
  | 'export:batch'
  | 'export:cancel'
  | 'export:chooseFolder';

/** Turns export failures into errors the user can read. */
async function readable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof ExportNotFoundError) throw new AppError('not_found', `${error.message} It may have been deleted.`);
    if (error instanceof ExportFolderError) throw new AppError('io_error', error.message);
    if (error instanceof ModelFileError) throw new AppError('io_error', error.message);
    throw lowLevelExportError(error) ?? new AppError('io_error', `Export failed: ${(error as Error).message}`);
  }
}

export function exportHandlers(deps: {
  exports: ExportService;
  engine: EngineApi;
  settings: SettingsStore;
  dataDir: string;
  /** The folder picker; without one (no window) choosing a folder answers canceled. */
  platform?: Pick<Platform, 'chooseFolder'>;
  /** The folders the user chose (made from settings when not given). */
  folders?: ExportFolders;
}): Pick<Handlers, ExportChannels> {
  const { exports, engine, platform } = deps;
  const folders = deps.folders ?? createExportFolders(deps.settings, deps.dataDir);
  /** The page's folder, only if the user chose it; checked before anything on disk is looked at. */
  const dirOf = (dir: string | undefined) => {
    if (dir === undefined) return folders.defaultDir();
    if (!folders.allows(dir)) throw new AppError('invalid_input', NOT_CHOSEN_EXPORT_FOLDER);
    return dir;
  };
  return {
    'export:presets': async () => {
      // The studio is opening: the first plan follows right away.
      exports.warmUp();
      return { presets: exports.presets.list(), defaultDir: folders.defaultDir(), problem: exports.presets.problem() };
    },
    // Not readable(): nothing is exported here, and the store words its own failures (preset-store.ts).
    'export:savePreset': async (input) => exports.presets.save(input),
    'export:deletePreset': async ({ id }) => ({ deleted: await exports.presets.remove(id) }),
    'export:plan': async ({ id, recipe, presetId }) =>
      readable(async () => {
        const { plan, preview } = await exports.plan(id, recipe, presetId);
        return { plan, preview };
      }),
    'export:run': async ({ id, recipe, presetId, dir }) => {
      const folder = dirOf(dir);
      return readable(() => exports.run(id, recipe, { presetId, dir: folder }));
    },
    'export:batch': async ({ batchId, ids, query, recipe, presetId, dir }) => {
      const folder = dirOf(dir);
      if (!ids && query === undefined) throw new AppError('invalid_input', 'Choose the models to export, or a search.');
      const chosen = ids ?? engine.library.list({ query, offset: 0, limit: 100_000, sort: 'newest' }).items.map((m) => m.id);
      return readable(() => exports.batch(chosen, recipe, { batchId, presetId, dir: folder }));
    },
    'export:cancel': async ({ batchId }) => ({ canceled: exports.cancel(batchId) }),
    'export:chooseFolder': async ({ startIn }) => {
      const dir = platform ? await platform.chooseFolder(startIn) : null;
      // Picked in the native dialog, outside the page: from now on exports may go there.
      if (dir) folders.remember(dir);
      return { dir };
    },
  };
}
