// The watched folder's images, kept between scans so that a scan of an unchanged folder costs one stat
// per folder instead of reading every folder again (10,000 images: ~150 ms of the main thread every
// 2 s before - bench/watch-folder.bench.ts). A folder is read again when its modification or status-
// change time moved (an entry added, removed or renamed), when fs.watch named it, while its time is
// too recent to trust (a coarse clock - FAT keeps 2 s - can give two changes one time), and at a full
// pass (the caller's, every minute or so: a file system that keeps no folder times misses nothing).
// The rules are listImagesInFolder's (images/folder.ts): hidden entries skipped, links followed only
// while they stay inside the folder's real path, each real folder once; folders inside the app's own
// folders (data, exports) are left out, by path and by real path.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isImageName } from '../images/folder';
import { isWithin } from '../util/within';
import { isAppFolder, type AppFolders } from './files';

/** A folder changed less than this before it was read may change again under the same time. */
const RECENT_MS = 3_000;

interface FolderState {
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** When it was last read (file-system clock, Date.now()). */
  readAt: number;
  /** Its images and subfolders, by the path as walked (a link's path, not its target's). */
  images: string[];
  subfolders: { path: string; real: string }[];
}

export type ListingUpdate = { ok: true; added: string[]; removed: string[] } | { ok: false; problem: string };

export interface ListingOptions {
  /** Read every folder, whatever its times say. */
  full: boolean;
  /** Folders fs.watch named since the last update: read again. */
  dirty: ReadonlySet<string>;
  /** The app's own folders: left out. */
  app: AppFolders;
  /** The most images the folder may hold. */
  maxImages: number;
}

export interface FolderListing {
  /** Brings the listing up to date with `root`; says which images came and went since the last update. */
  update(root: string, rootReal: string, options: ListingOptions): Promise<ListingUpdate>;
  /** The folders listed (fs.watch watches them where it can't watch a whole tree). */
  folders(): string[];
  /** Forgets everything: the next update lists every image as added. */
  clear(): void;
}

export function createFolderListing(): FolderListing {
  let rootPath: string | null = null;
  const folders = new Map<string, FolderState>();
  let count = 0;

  const forget = (path: string, removed: string[]) => {
    const state = folders.get(path);
    if (!state) return;
    folders.delete(path);
    removed.push(...state.images);
    count -= state.images.length;
    for (const sub of state.subfolders) forget(sub.path, removed);
  };

  async function update(root: string, rootReal: string, options: ListingOptions): Promise<ListingUpdate> {
    const added: string[] = [];
    const removed: string[] = [];
    const top = resolve(root);
    if (rootPath !== top) {
      for (const path of [...folders.keys()]) forget(path, removed);
      rootPath = top;
    }
    const visited = new Set<string>();
    const skip = (path: string, real: string) => isAppFolder(path, real, options.app);

    /** Lists one folder (read again or as kept) and its subfolders; false when it can't be read. */
    const walk = async (path: string, real: string): Promise<boolean> => {
      visited.add(real);
      const info = await stat(path).catch(() => null);
      const kept = folders.get(path);
      if (!info?.isDirectory()) {
        forget(path, removed);
        return false;
      }
      const trusted =
        kept && !options.full && !options.dirty.has(path) && kept.mtimeMs === info.mtimeMs && kept.ctimeMs === info.ctimeMs && kept.ino === info.ino && kept.readAt - info.mtimeMs >= RECENT_MS;
      let state = kept;
      if (!trusted) {
        const readAt = Date.now();
        let entries: Dirent[];
        try {
          entries = await readdir(path, { withFileTypes: true });
        } catch {
          forget(path, removed);
          return false;
        }
        state = { mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, readAt, ...(await sortEntries(path, entries, rootReal, real)) };
        const before = new Set(kept?.images ?? []);
        for (const image of state.images) if (!before.delete(image)) added.push(image);
        removed.push(...before);
        count += state.images.length - (kept?.images.length ?? 0);
        const stillThere = new Set(state.subfolders.map((sub) => sub.path));
        for (const sub of kept?.subfolders ?? []) if (!stillThere.has(sub.path)) forget(sub.path, removed);
        folders.set(path, state);
      }
      for (const sub of state!.subfolders) {
        if (visited.has(sub.real) || skip(sub.path, sub.real)) {
          forget(sub.path, removed);
          continue;
        }
        // An unreadable subfolder is left out (as listImagesInFolder does); its images come back with it.
        await walk(sub.path, sub.real);
      }
      return true;
    };

    if (skip(top, rootReal) || !(await walk(top, rootReal))) {
      return { ok: false, problem: `The folder ${root} can't be read. The watch is paused and tries again every few seconds.` };
    }
    if (count > options.maxImages) {
      return { ok: false, problem: `The watched folder holds more than ${options.maxImages.toLocaleString('en')} images, more than the watch can follow. Move some out, or choose another folder.` };
    }
    return { ok: true, added, removed };
  }

  return {
    update,
    folders: () => [...folders.keys()],
    clear() {
      folders.clear();
      count = 0;
      rootPath = null;
    },
  };
}

/** A folder's images and subfolders: links resolved (kept only inside the folder's real path), hidden entries left out. */
async function sortEntries(folder: string, entries: Dirent[], rootReal: string, folderReal: string): Promise<Pick<FolderState, 'images' | 'subfolders'>> {
  const images: string[] = [];
  const subfolders: FolderState['subfolders'] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => null); // dangling links are skipped
      const real = target && (await realpath(path).catch(() => null));
      if (!target || !real || !isWithin(real, rootReal)) continue;
      if (target.isDirectory()) subfolders.push({ path, real });
      else if (target.isFile() && isImageName(entry.name)) images.push(path);
    } else if (entry.isDirectory()) {
      subfolders.push({ path, real: join(folderReal, entry.name) });
    } else if (entry.isFile() && isImageName(entry.name)) {
      images.push(path);
    }
  }
  // Subfolders in name order: where two paths reach one real folder (a link to a subfolder), the same one lists it at every scan.
  subfolders.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { images, subfolders };
}
