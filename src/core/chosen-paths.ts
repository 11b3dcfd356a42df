// Paths the page may hand back to the app. The page is untrusted: a compromised one could name any
// path and learn from the answer whether it exists and what it is ("was not found", "is a folder"),
// or have the app read and upload it. So a path from the page is used only when the user chose it
// outside the page - in a native dialog (jobs:pick) or by dropping it on the window (the preload
// reports what Electron's webUtils.getPathForFile returns, which only real files carry). Any other
// path gets one neutral answer without being looked at. The CLI takes paths directly: it is the user.
import { basename, resolve } from 'node:path';

export interface ChosenPaths {
  /** The user chose this file or folder outside the page (main-process callers only). */
  add(path: string): void;
  has(path: string): boolean;
}

/** Enough for the largest drop or folder the app takes; the oldest are forgotten beyond it. */
const DEFAULT_LIMIT = 50_000;
const MAX_PATH_LENGTH = 4096;

/** Where a record that must survive a restart keeps its paths (oldest first). */
export interface ChosenPathsStorage {
  load(): readonly string[];
  save(paths: string[]): void;
}

export function createChosenPaths(limit = DEFAULT_LIMIT, storage?: ChosenPathsStorage): ChosenPaths {
  const key = (path: string) => resolve(path);
  // A Set keeps insertion order, so the first entry is the oldest.
  const chosen = new Set<string>((storage?.load() ?? []).map(key));
  return {
    add(path) {
      if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH) return;
      const k = key(path);
      chosen.delete(k);
      chosen.add(k);
      while (chosen.size > limit) chosen.delete(chosen.values().next().value!);
      storage?.save([...chosen]);
    },
    has: (path) => chosen.has(key(path)),
  };
}

/** The name to show for a path from the page: its last part only, as the user would recognize it. */
function shownName(path: string): string {
  return basename(path.replace(/\\/g, '/')).trim() || 'That file';
}

/** The one answer for an image path the user did not choose: the same whatever is (or isn't) there. */
export function notChosenImageReason(path: string): string {
  return `${shownName(path)} is not a usable image. Choose it again with Add images, or drop it on the window.`;
}

/** The one answer for a folder path the user did not choose. */
export function notChosenFolderReason(path: string): string {
  return `${shownName(path)} is not a usable folder of images. Drop the folder on the window again.`;
}

/** The one answer for an export folder the user did not choose: it says nothing about what is there. */
export const NOT_CHOSEN_EXPORT_FOLDER =
  'Exports go only to a folder you chose in this app. Choose the folder with the Choose… button, then export again.';
