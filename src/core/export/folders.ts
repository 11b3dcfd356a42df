// The folders exports may go to. The page is untrusted: a folder it names could be anywhere, and the
// free-name suffix in the answer ("chair-2.glb") would tell it which files are there. So a folder from
// the page is used only when the user chose it in the native folder picker (export:chooseFolder) -
// the same rule as image paths (chosen-paths.ts) - or it is the app's own exports folder. The record
// lives in settings (exportFolders), which only the main process writes, so it survives a restart.
// The CLI takes --out directly: it is the user.
import { join, resolve } from 'node:path';
import type { SettingsStore } from '../services-types';
import { createChosenPaths } from '../chosen-paths';

/** How many picked folders are remembered; the oldest are forgotten beyond it. */
const REMEMBERED = 20;

export interface ExportFolders {
  /** The user picked this folder in the native dialog (main-process callers only). */
  remember(dir: string): void;
  /** The folder may be written: picked by the user, Settings' output folder, or the app's exports folder. */
  allows(dir: string): boolean;
  /** Where exports go when the page names no folder: Settings' output folder, else <data>/exports. */
  defaultDir(): string;
}

export function createExportFolders(settings: SettingsStore, dataDir: string): ExportFolders {
  const picked = createChosenPaths(REMEMBERED, {
    load: () => settings.get().exportFolders,
    save: (paths) => settings.set({ exportFolders: paths }),
  });
  const appFolder = join(dataDir, 'exports');
  return {
    remember: (dir) => picked.add(dir),
    // Settings' output folder can only be set (by the page) to a picked folder, or was stored before
    // this rule by the user; it stays usable even after the record forgets it.
    allows: (dir) => picked.has(dir) || [appFolder, settings.get().outputFolder].some((ok) => !!ok && resolve(ok) === resolve(dir)),
    defaultDir: () => settings.get().outputFolder || appFolder,
  };
}
