// What the watch keeps for its next start: "when it last ran" in the settings (the rule without a file
// list) and the file list in the data folder (saved-list.ts), each saved only as often as needed.
import type { Logger } from '../app-core';
import type { SettingsStore } from '../services-types';
import type { FileTable } from './known-files';
import type { SavedListStore } from './saved-list';

/**
 * How far a file's times may lag the clock: the kernel stamps files with a coarse clock (a few ms
 * behind Date.now()), so a file that came just after a read can carry a time just before it.
 */
export const ARRIVAL_SLACK_MS = 100;

/** The file list is saved at most this often while files change (and at once after files are taken, and at stop). */
const LIST_SAVE_MS = 5_000;

export interface LastRanDeps {
  settings: SettingsStore;
  savedList: SavedListStore | null;
  files: FileTable;
  now: () => number;
  /** How often "when the watch last ran" is saved while nothing is taken. */
  saveEveryMs: number;
  logger: Pick<Logger, 'warn'>;
}

export interface LastRan {
  /** Saves "last ran" for a read at `scanAt` (never later than a file still waiting). */
  save(scanAt: number): void;
  /** After a read at `scanAt`: saved when files were taken, or when it is due. */
  saveIfDue(scanAt: number, took: boolean): void;
  /** Saves the settled files of `folder` (with its device and inode) when they changed, or `force`. */
  saveList(folder: string, folderId: string, force: boolean): Promise<void>;
  /** The list was last saved LIST_SAVE_MS ago or more: saved at the next read even if unchanged. */
  listDue(): boolean;
  /** "Last ran" was just written with the settings (turned on, a start): the next save is due saveEveryMs from now. */
  savedNow(): void;
  /** The list is to be written anew at the next read (the watch starts over). */
  listUnsaved(): void;
}

export function createLastRan(deps: LastRanDeps): LastRan {
  const { now, files } = deps;
  let lastSavedAt = 0;
  let lastListSavedAt = Number.NEGATIVE_INFINITY;

  /** "Last ran" is never later than a file still waiting: it is taken at the next start if the app closes now. */
  const lastRanAt = (scanAt: number) => Math.min(scanAt - ARRIVAL_SLACK_MS, (files.firstWaitingArrival() ?? Number.POSITIVE_INFINITY) - 1);

  const save = (scanAt: number) => {
    lastSavedAt = now();
    try {
      deps.settings.set({ watchLastRanAt: Math.max(0, Math.floor(lastRanAt(scanAt))) });
    } catch (error) {
      deps.logger.warn('When the watched folder last ran could not be saved', error);
    }
  };

  return {
    save,
    saveIfDue(scanAt, took) {
      if (took || now() - lastSavedAt >= deps.saveEveryMs) save(scanAt);
    },
    async saveList(folder, folderId, force) {
      if (!deps.savedList) return;
      const { files: list, changed } = files.save();
      if (!changed && !force) return;
      lastListSavedAt = now();
      await deps.savedList.write(folder, folderId, list).catch((error: unknown) => deps.logger.warn('The watched folder’s file list could not be saved', error));
    },
    listDue: () => now() - lastListSavedAt >= LIST_SAVE_MS,
    savedNow() {
      lastSavedAt = now();
    },
    listUnsaved() {
      lastListSavedAt = Number.NEGATIVE_INFINITY;
    },
  };
}
