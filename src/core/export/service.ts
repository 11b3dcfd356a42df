// The export studio's work behind the contract and the CLI: plan (figures + preview, nothing
// written), run (write one model's files), batch (many models, one preset, progress, a summary).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { readModelFile } from '../library/model-file';
import { NoFreeNameError } from '../library/free-names';
import { makeFolder } from '../util/make-folder';
import { isLowLevelError, UNREADABLE_MODEL_MESSAGE } from '../util/low-level-error';
import type { BatchProgress, BatchSummary, ExportRecipe } from '../../shared/export-recipe';
import type { ExportResult } from './pipeline';
import { createPresetStore, type PresetStore } from './preset-store';
import { ExportCanceledError, sharedWorkerPool, type RecipeRunner } from './worker-pool';
import { fileStem, renameStem, writeNewFiles } from './write';
import { folderGoneCheck, modelWhileFolderGone } from '../engine/data-folder';

/** What export needs from the library. */
export interface ModelSource {
  /** `sha256`: the hash the file was stored under; a file that no longer matches is not exported. */
  get(id: string): { id: string; name: string; sha256?: string } | null;
  filePath(id: string): string | null;
}

export class ExportNotFoundError extends Error {
  override readonly name = 'ExportNotFoundError';
}

/**
 * The export folder could not be created or written. The folder comes from the page (typed in the
 * export studio) or the settings it writes, so the message never says why - missing, a file, no
 * permission - which would let a page map the disk with it.
 */
export class ExportFolderError extends Error {
  override readonly name = 'ExportFolderError';
  constructor(dir: string) {
    super(`The folder ${dir} could not be used for the export. Choose a folder you can write to.`);
  }
}

export interface ExportService {
  presets: PresetStore;
  /** The result and the worker thread that made it. */
  plan(id: string, recipe: ExportRecipe, presetId?: string): Promise<PlannedExport>;
  run(id: string, recipe: ExportRecipe, opts: { presetId?: string; dir: string }): Promise<{ dir: string; files: string[] }>;
  batch(
    ids: readonly string[],
    recipe: ExportRecipe,
    opts: { batchId: string; presetId?: string; dir: string; onProgress?: (progress: BatchProgress) => void },
  ): Promise<BatchSummary>;
  /** Gets a worker ready (the studio opened: an export is likely to follow). */
  warmUp(): void;
  /** Stops a running batch, abandoning the model in hand; false when no such batch runs. */
  cancel(batchId: string): boolean;
  /** Every batch's progress (the transports forward it as `export:progress`). */
  onProgress(listener: (progress: BatchProgress) => void): () => void;
}

export type PlannedExport = ExportResult & { threadId: number };

const CACHE_SIZE = 2;

/** `runner` does the work off this thread (worker threads by default). */
/** `log`: where a batch's failures the user is told in plain words are kept as they were (see util/low-level-error.ts). */
export function createExportService(
  library: ModelSource,
  dataDir: string,
  runner: RecipeRunner = sharedWorkerPool(),
  log?: { warn(message: string, detail?: unknown): void },
): ExportService {
  const presets = createPresetStore(dataDir);
  const folderGone = folderGoneCheck(dataDir);
  // The last plans, so "Export" right after a preview writes what was shown without redoing the work.
  const cache = new Map<string, Promise<PlannedExport>>();
  const running = new Map<string, { canceled: boolean; abort: AbortController }>();
  const listeners = new Set<(progress: BatchProgress) => void>();

  const modelOf = (id: string) => {
    const model = library.get(id);
    const path = library.filePath(id);
    if (!model || !path) throw new ExportNotFoundError(`No model with id ${id}.`);
    // Before anything is read or a folder made (<data>/exports made anew would block putting it back).
    if (folderGone()) throw modelWhileFolderGone(dataDir, model.name);
    return { model, path };
  };

  const stemFor = (model: { id: string; name: string }, recipe: ExportRecipe, presetId?: string) =>
    fileStem(recipe.fileName, { name: model.name, id: model.id, preset: presetId ?? 'custom' });

  const plan = (id: string, recipe: ExportRecipe, presetId?: string, signal?: AbortSignal): Promise<PlannedExport> => {
    const { model, path } = modelOf(id);
    const stem = stemFor(model, recipe, presetId);
    const key = JSON.stringify([id, stem, recipe]);
    const known = cache.get(key);
    if (known) return known;
    const result = readModelFile(model, path).then((bytes) => runner.run(bytes, recipe, stem, { signal }));
    cache.set(key, result);
    result.catch(() => cache.delete(key));
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return result;
  };

  const write = async (id: string, recipe: ExportRecipe, { presetId, dir }: { presetId?: string; dir: string }, signal?: AbortSignal) => {
    const { model } = modelOf(id);
    const stem = stemFor(model, recipe, presetId);
    // The folder first: into an unplugged drive or a read-only folder, a batch made every model in full
    // (seconds each) before each write failed.
    try {
      await makeFolder(dir);
      await access(dir, constants.W_OK);
    } catch {
      throw new ExportFolderError(dir);
    }
    const { files } = await plan(id, recipe, presetId, signal);
    try {
      await makeFolder(dir);
      return { dir, files: await writeNewFiles(dir, stem, (candidate) => renameStem(files, stem, candidate)) };
    } catch (error) {
      // Names all taken is not the folder being unusable: the user can clear it out.
      if (error instanceof NoFreeNameError) throw error;
      throw new ExportFolderError(dir);
    }
  };

  return {
    presets,
    plan: (id, recipe, presetId) => plan(id, recipe, presetId),
    warmUp: () => runner.warm(),
    run: (id, recipe, opts) => write(id, recipe, opts),
    async batch(ids, recipe, { batchId, presetId, dir, onProgress }) {
      const started = performance.now();
      const state = { canceled: false, abort: new AbortController() };
      running.set(batchId, state);
      const items: BatchSummary['items'] = [];
      const report = (current: string | null) => {
        const progress = { batchId, done: items.length, total: ids.length, failed: items.filter((i) => !i.ok).length, current };
        onProgress?.(progress);
        for (const listener of listeners) listener(progress);
      };
      try {
        for (const id of ids) {
          if (state.canceled) break;
          const name = library.get(id)?.name ?? id;
          report(name);
          try {
            const { files } = await write(id, recipe, { presetId, dir }, state.abort.signal);
            items.push({ id, name, ok: true, files, error: null });
          } catch (error) {
            // A canceled model is not a failure: it is left out, like the ones not started.
            if (error instanceof ExportCanceledError) break;
            const lowLevel = isLowLevelError(error);
            if (lowLevel) log?.warn(`Export of ${name} (${id}) failed`, error);
            items.push({ id, name, ok: false, files: [], error: lowLevel ? UNREADABLE_MODEL_MESSAGE : (error as Error).message });
          }
          // A batch's plans are not looked at again; keep memory flat over hundreds of models.
          cache.clear();
        }
        report(null);
      } finally {
        running.delete(batchId);
      }
      const succeeded = items.filter((i) => i.ok).length;
      return {
        batchId,
        dir,
        total: ids.length,
        succeeded,
        failed: items.length - succeeded,
        canceled: state.canceled,
        items,
        ms: Math.round(performance.now() - started),
      };
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel(batchId) {
      const state = running.get(batchId);
      if (!state) return false;
      state.canceled = true;
      state.abort.abort();
      return true;
    },
  };
}
