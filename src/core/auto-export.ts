// "Export after each model": every newly finished model goes into the output folder (or the data
// folder's exports/) under its own name, never overwriting another file - copied as it is, or made
// with the export preset chosen in Settings.
import { constants, lstatSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { makeFolder } from './util/make-folder';
import { safeFileStem } from './util/file-stem';
import { basename, join } from 'node:path';
import type { Job } from '../shared/domain';
import type { Logger } from './app-core';
import { exportModelFile } from './library/export';
import { fsyncDirBestEffort, placeIfFree, tempPathFor, unlinkQuietly } from './library/files';
import { MAX_NAME_TRIES, NoFreeNameError } from './library/free-names';
import type { EngineApi, SettingsStore } from './services-types';
import { ExportFolderError, type ExportService } from './export/service';
import { journalTempFile } from './export/set-journal';
import { errorMessage } from './util/errors';
import { isLowLevelError, UNREADABLE_MODEL_MESSAGE } from './util/low-level-error';

/**
 * `<dir>/<name>.glb`, or `<name>-2.glb`... when that name is taken (a name Windows or a dot would hide
 * made safe). NoFreeNameError when the first MAX_NAME_TRIES names all are.
 */
export function freeExportPath(dir: string, name: string, ext = 'glb'): string {
  const stem = safeFileStem(name);
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const candidate = join(dir, n === 1 ? `${stem}.${ext}` : `${stem}-${n}.${ext}`);
    if (!nameTaken(candidate)) return candidate;
  }
  throw new NoFreeNameError(dir, `${stem}.${ext}`);
}

/** Something has this name: a file, a folder, or a link - even one to nothing, which existsSync does not see. */
export function nameTaken(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // as existsSync: the write that follows says what is wrong
  }
}

/**
 * Copies a model to freeExportPath's path, never over a file that appeared meanwhile (another export
 * of the same name at the same moment: the export studio, the CLI): then to the next free name. The
 * copy is made once, under a temp name, and given each name tried - MAX_NAME_TRIES at most.
 * `step` (tests) is awaited once the copy is made, before a name is given.
 */
export async function copyToFreePath(src: string, dir: string, name: string, step: (what: 'place') => Promise<void> | void = () => undefined): Promise<string> {
  const first = freeExportPath(dir, name);
  const temp = tempPathFor(first);
  // Killed while copying, the temp file (a whole model) is removed by the next export into `dir`.
  const journal = await journalTempFile(dir, temp);
  try {
    await exportModelFile(src, temp, { newTemp: true });
    await step('place');
    for (let tries = 1; tries <= MAX_NAME_TRIES; tries++) {
      const path = tries === 1 ? first : freeExportPath(dir, name);
      if (await placeIfFree(temp, path)) {
        await fsyncDirBestEffort(dir);
        return path;
      }
    }
    throw new NoFreeNameError(dir, basename(first));
  } finally {
    // Linked into place, the temp name is a second name for the copy; renamed, it is already gone.
    await unlinkQuietly(temp);
    await journal.remove();
  }
}

/** Tells the user outside the window (a desktop notification); called only when notifications are on. */
export type AutoExportNotify = (title: string, body: string) => void;

export function startAutoExport(
  engine: EngineApi,
  settings: SettingsStore,
  defaultDir: string,
  logger: Logger,
  exports?: ExportService,
  notify?: AutoExportNotify,
): () => void {
  const exported = new Set<string>();
  // The folder the user was last told about: one notice per broken folder, not one per model of a batch,
  // and a new one once an export there worked and then failed again.
  let toldAbout: string | null = null;
  const tell = (body: string) => {
    if (notify && settings.get().notifications) notify('Automatic export failed', body);
  };
  const folderFailed = (name: string, dir: string, error: unknown) => {
    logger.warn(`Automatic export of ${name} failed: ${dir} cannot be written`, error);
    if (toldAbout === dir) return;
    toldAbout = dir;
    tell(`${name} was not exported: the folder ${dir} could not be used. The model is in your library; choose another output folder in Settings.`);
  };
  // Not the folder (the model's file, the export itself): said for this model, in the error's words.
  const modelFailed = (name: string, error: unknown) => {
    logger.warn(`Automatic export of ${name} failed`, error);
    const why = isLowLevelError(error) ? UNREADABLE_MODEL_MESSAGE : errorMessage(error).trim();
    tell(`${name} was not exported: ${/[.!?]$/.test(why) ? why : `${why}.`} The model is in your library.`);
  };
  const usable = async (dir: string) => {
    try {
      await makeFolder(dir);
      await access(dir, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  // One export at a time, so two models with the same name never pick the same free path.
  let queue: Promise<void> = Promise.resolve();
  return engine.on('job', (job: Job) => {
    if (job.state !== 'succeeded' || !job.modelId || exported.has(job.id)) return;
    const current = settings.get();
    if (!current.exportAfterSuccess) return;
    exported.add(job.id);
    const model = engine.library.get(job.modelId);
    const src = engine.library.filePath(job.modelId);
    if (!model || !src) return;
    const dir = current.outputFolder || defaultDir;
    const presetId = current.autoExportPreset;
    const preset = presetId && exports ? exports.presets.get(presetId) : null;
    if (presetId && !preset) logger.warn(`Export preset "${presetId}" not found: exporting ${model.name} as GLB`);
    queue = queue.then(async () => {
      if (!(await usable(dir))) return folderFailed(model.name, dir, null);
      try {
        await (preset && exports
          ? exports.run(model.id, preset.recipe, { presetId: preset.id, dir })
          : copyToFreePath(src, dir, model.name));
        if (toldAbout === dir) toldAbout = null;
      } catch (error) {
        // The folder may have gone while the model was written.
        if (error instanceof ExportFolderError || !(await usable(dir))) folderFailed(model.name, dir, error);
        else modelFailed(model.name, error);
      }
    });
  });
}
