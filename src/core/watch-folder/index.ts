// The watched folder: every new image that appears in the folder the user chose becomes a job, through
// the engine's usual intake (which never pays twice: a photo made before is a duplicate, one on its way
// is joined). A scan decides, every 2 s and soon after fs.watch names a change (hints.ts); it reads only
// the folders that changed and stats only the files it must (listing.ts), and every FULL_EVERY_MS reads
// every folder. A file is taken once its size and time have stayed the same for STABLE_MS, so a copy in
// progress is waited for. What it knows of each file: known-files.ts; what a scan makes of a file:
// scan-files.ts; when it scans: scan-loop.ts; handing files over: intake.ts; what it keeps for the
// next start: last-ran.ts.
// Turning the watch on takes none of the images already there (one still being copied then is taken
// once it is whole). A file written again (size or time changed) is a new image: the intake knows the
// same photo by its content, so the same bytes are never paid twice. At a start, the file list saved
// when the watch last ran (saved-list.ts) tells what came while the app was closed: anything not in
// it, copied or moved in, or changed; without one, images newer than when the watch last ran. Back
// after a pause (the folder away, unreadable or too full) the watch's own list decides the same way. No
// Electron here.
import { resolve } from 'node:path';
import type { SettingsStore } from '../services-types';
import { AppError } from '../../shared/result';
import { WATCH_OFF, type WatchStatus } from '../../shared/watch';
import { appFolders, folderProblem, isWithinAny, MAX_WATCHED_IMAGES } from './files';
import { createHints } from './hints';
import { createIntake, type IntakeDeps } from './intake';
import { createFileTable } from './known-files';
import { ARRIVAL_SLACK_MS, createLastRan } from './last-ran';
import { createFolderListing } from './listing';
import { createSavedListStore, sameFolder } from './saved-list';
import { lookAt } from './scan-files';
import { createScanLoop } from './scan-loop';

export interface FolderWatchDeps extends IntakeDeps {
  settings: SettingsStore;
  /** Folders whose images are never taken: the app writes images there (data folder, export folders). */
  excludedRoots(): string[];
  /** Where the watch keeps its file list between runs (the data folder); none: only "when it last ran". */
  dataDir?: string;
  now?: () => number;
  /** How often the folder is read (default 2 s). */
  scanEveryMs?: number;
  /** How long a file's size and time must stay the same before it is taken (default 1 s). */
  stableMs?: number;
  /** How often "when the watch last ran" is saved while nothing is taken (default 60 s; always on stop). */
  saveEveryMs?: number;
  /** How often every folder is read, whatever its times say (default 60 s). */
  fullEveryMs?: number;
  /** The most images the folder may hold (default MAX_WATCHED_IMAGES; tests use a few). */
  maxImages?: number;
  /** false: no periodic scan and no fs.watch, only scanNow (tests that step through scans). */
  timers?: boolean;
}

export interface FolderWatch {
  /** Starts watching if the settings say so (images newer than when it last ran are taken). */
  start(): void;
  /** Ends the watch; waits for images being added, and saves when it last ran. */
  stop(): Promise<void>;
  status(): WatchStatus;
  onChange(listener: (status: WatchStatus) => void): () => void;
  /** Watches `folder` (or the one chosen before) from now on: images already in it are not added. */
  turnOn(folder?: string): Promise<WatchStatus>;
  turnOff(): Promise<WatchStatus>;
  /** Reads the folder now (the fs.watch hint; tests). */
  scanNow(): Promise<void>;
}

export function createFolderWatch(deps: FolderWatchDeps): FolderWatch {
  const now = deps.now ?? Date.now;
  const scanEveryMs = deps.scanEveryMs ?? 2_000;
  const stableMs = deps.stableMs ?? 1_000;
  const saveEveryMs = deps.saveEveryMs ?? 60_000;
  const fullEveryMs = deps.fullEveryMs ?? 60_000;
  const timers = deps.timers ?? true;
  const maxImages = deps.maxImages ?? MAX_WATCHED_IMAGES;

  const files = createFileTable(MAX_WATCHED_IMAGES);
  const intake = createIntake(deps);
  const listing = createFolderListing();
  const savedList = deps.dataDir ? createSavedListStore(deps.dataDir) : null;
  const lastRan = createLastRan({ settings: deps.settings, savedList, files, now, saveEveryMs, logger: deps.logger });
  /** The saved list is still to be read (a start); the folder's device and inode at the last good scan. */
  let loadList = false;
  /** Paused since the last good scan: when the folder is back, the file list decides what is new. */
  let resume = false;
  let folderId: string | null = null;
  let lastFullAt = Number.NEGATIVE_INFINITY;
  /** Unknown files are new only when they arrived after this; null: every unknown file is new. */
  let newerThan: number | null = null;
  let lastGoodScanAt: number | null = null;
  let problem: string | null = null;
  let stopped = true;
  /** turnOff was asked and waits for the scan on its way. */
  let offAsked = false;
  const listeners = new Set<(status: WatchStatus) => void>();
  let lastSent = '';

  const config = () => {
    const s = deps.settings.get();
    return s.watchEnabled && s.watchFolder ? s.watchFolder : null;
  };

  const status = (): WatchStatus => {
    const folder = config();
    if (!folder) return { ...WATCH_OFF, folder: deps.settings.get().watchFolder };
    const { taken, alreadyMade, refused, problem: addProblem } = intake.tally();
    return { state: problem ? 'paused' : 'watching', folder, problem: problem ?? addProblem, taken, alreadyMade, waiting: files.waiting(), refused: [...refused] };
  };
  const changed = () => {
    const next = status();
    const text = JSON.stringify(next);
    if (text === lastSent) return;
    lastSent = text;
    for (const listener of listeners) listener(next);
  };

  // Scans one at a time, then plans the next: sooner while a file is waiting to stop changing.
  const loop = createScanLoop({
    scan: scanOnce,
    running: () => !stopped,
    timers,
    logger: deps.logger,
    after() {
      changed();
      if (!config()) return null;
      return files.waiting() > 0 && !problem ? Math.min(scanEveryMs, stableMs + 50) : scanEveryMs;
    },
  });
  const hints = createHints(() => loop.schedule(100));

  const pause = (why: string) => {
    if (problem !== why) deps.logger.warn(`Watched folder paused: ${why}`);
    problem = why;
    // Back after a pause, the same rule as a start (the saved list): the folder is listed anew and a file
    // not in the watch's list (copied or moved in meanwhile) is new, one in it is not.
    resume = true;
    listing.clear();
    hints.close();
  };

  /**
   * The folder is back (device and inode `id`): the same folder keeps the watch's file list (and every
   * file not in it is new); another one put in its place is known by times alone, as at a start without
   * a list (its old images are not added). Answers whether the list decides.
   */
  const resumeWith = (id: string): boolean => {
    resume = false;
    if (folderId === null) return false; // no good read since turned on or started: their threshold stays
    if (sameFolder(folderId, id)) {
      newerThan = null;
      return true;
    }
    files.clear();
    newerThan = (lastGoodScanAt ?? Number.POSITIVE_INFINITY) - ARRIVAL_SLACK_MS;
    return false;
  };

  /** Saves the settled files (not while paused: the list is what the folder held at the last good scan). */
  const saveList = async (force: boolean) => {
    const folder = config();
    if (!folder || !folderId || problem) return;
    await lastRan.saveList(folder, folderId, force);
  };

  async function scanOnce(): Promise<void> {
    const folder = config();
    if (stopped || !folder) return;
    const startedAt = now();
    const app = await appFolders(deps.excludedRoots());
    const where = await folderProblem(folder, app);
    if ('problem' in where) return pause(where.problem);
    const hinted = hints.take();
    const full = startedAt - lastFullAt >= fullEveryMs;
    let loaded = resume && resumeWith(where.id);
    if (loadList && savedList) {
      // What the folder held when the watch last ran: anything else (copied or moved in, written again) is new.
      const saved = await savedList.read(folder, where.id);
      if (saved) files.load(saved);
      if (saved) newerThan = null;
      loaded = saved !== null;
    }
    loadList = false;
    const listed = await listing.update(folder, where.real, { full, dirty: hinted.folders, app, maxImages });
    if (!listed.ok) return pause(listed.problem);
    if (loaded) files.keepOnly(new Set(listed.added));
    folderId = where.id;
    if (full) lastFullAt = startedAt;
    if (problem) deps.logger.info('The watched folder is back; watching it again');
    problem = null;
    if (timers) hints.follow(resolve(folder), listing.folders());

    for (const path of listed.removed) files.drop(path);
    // New files, those not settled, and (a full pass, or fs.watch named them) settled ones: one written again in place is new.
    const look = new Set([...listed.added, ...files.unsettled(), ...(full ? files.paths() : [...hinted.files].filter((path) => files.get(path)))]);
    const ready = await lookAt(files, look, { newerThan, stableMs, startedAt });
    newerThan = null;
    lastGoodScanAt = startedAt;
    const took =
      ready.length > 0 &&
      (await intake.take(ready, () => stopped || offAsked, (path, kind) => {
        const file = files.get(path);
        if (file) files.set(path, { ...file, kind });
      }));
    lastRan.saveIfDue(startedAt, took);
    await saveList(took || loaded || lastRan.listDue());
  }

  const reset = (threshold: number | null, counts = false) => {
    files.clear();
    intake.clear(counts);
    listing.clear();
    lastFullAt = Number.NEGATIVE_INFINITY;
    newerThan = threshold;
    lastGoodScanAt = null;
    problem = null;
    resume = false;
    folderId = null;
    lastRan.listUnsaved();
    hints.close();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      const s = deps.settings.get();
      // Images that came while the app was closed: those newer than when the watch last ran.
      reset(s.watchLastRanAt ?? Number.POSITIVE_INFINITY);
      loadList = true;
      lastRan.savedNow();
      if (config()) void loop.run();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      hints.close();
      await loop.stop();
      if (config() && !problem && lastGoodScanAt !== null) lastRan.save(lastGoodScanAt);
      await saveList(false);
    },
    status,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async turnOn(folder) {
      const chosen = folder ?? deps.settings.get().watchFolder;
      if (!chosen) throw new AppError('invalid_input', 'Choose the folder to watch first.');
      if (await isWithinAny(chosen, deps.excludedRoots())) {
        throw new AppError('invalid_input', 'The app writes its own files or exports into that folder, so it can’t be watched (exported textures would become new jobs). Choose another folder.');
      }
      // Written in one go with "last ran", so a restart never mistakes the images already there for new ones.
      // The list of a watch before this one goes first: what came in between is not new.
      await loop.run(() => {
        savedList?.remove();
        deps.settings.set({ watchFolder: chosen, watchEnabled: true, watchLastRanAt: now() });
        lastRan.savedNow();
        // Files that arrive from now on are new (one copied in between this and the read too).
        reset(Date.now(), true);
      });
      return status();
    },
    async turnOff() {
      offAsked = true; // a scan adding images now stops at once (take), not once all are added
      await loop.run(() => {
        offAsked = false;
        savedList?.remove();
        deps.settings.set({ watchEnabled: false });
        reset(null);
      });
      return status();
    },
    scanNow: () => loop.run(),
  };
}
