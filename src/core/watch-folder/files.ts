// What the watch reads from disk: the folder's images (the app's own listing rules), each file's size
// and times, and the folders whose images are never taken (the app writes images there itself).
import { realpath, stat, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { listImagesInFolder } from '../images';

/** The most images a watched folder may hold: a folder at the cap can't tell a new file from one cut off. */
export const MAX_WATCHED_IMAGES = 10_000;

export interface FileFacts {
  size: number;
  mtimeMs: number;
  /** When the file came into the folder, as far as the disk tells: a copy may keep the photo's own
   *  modification time (cp -p, Finder), but on Linux and Windows its creation (birth) time is the
   *  copy's. There the status-change time is not used: it also moves when nothing came (permissions,
   *  owner changed), which made old photos new - and paid for - at a start. On macOS a Finder copy keeps
   *  the creation date too, so the status-change time is all that tells a copy (and a chmod) apart. */
  arrivedMs: number;
  /** Inode (0 where the file system has none): a renamed file keeps it. */
  ino: number;
}

/** A copy's creation time is the copy's (not on macOS: see FileFacts.arrivedMs). */
const BIRTH_IS_ARRIVAL = process.platform !== 'darwin';

export async function fileFacts(path: string): Promise<FileFacts | null> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return null;
  const arrival = BIRTH_IS_ARRIVAL && info.birthtimeMs > 0 ? info.birthtimeMs : Math.max(info.ctimeMs, info.birthtimeMs || 0);
  return { size: info.size, mtimeMs: info.mtimeMs, arrivedMs: Math.max(info.mtimeMs, arrival), ino: info.ino };
}

/** `path` is `root` or inside it. */
export function isWithin(path: string, root: string): boolean {
  const p = resolve(path);
  const r = resolve(root);
  return p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
}

/** A folder's path with its links resolved (as given where it can't be resolved: not there yet). */
async function realOrResolved(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/**
 * `path` is inside one of `roots`, by the path as given or by where its folder really is: a watched
 * folder chosen through a link, or a link inside it, must not reach the folders the app writes into.
 */
export async function isWithinAny(path: string, roots: readonly string[]): Promise<boolean> {
  if (roots.some((root) => isWithin(path, root))) return true;
  const real = await realOrResolved(path);
  const realRoots = await Promise.all(roots.map(realOrResolved));
  return realRoots.some((root) => isWithin(real, root));
}

/** Why `folder` can't be watched now (in words for the user), or null. */
export async function folderProblem(folder: string, excludedRoots: readonly string[]): Promise<string | null> {
  const name = basename(folder) || folder;
  if (await isWithinAny(folder, excludedRoots)) {
    return `${name} is a folder the app writes into (its data or export folder), so it is not watched: exported textures would become new jobs. Choose another folder to watch.`;
  }
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) return `${folder} is no longer a folder. The watch is paused and looks again every few seconds; put the folder back or choose another.`;
    await readdir(folder); // can be listed (a folder without read permission lists as empty)
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return `The folder ${folder} is not there (moved, renamed or deleted). The watch is paused and looks for it again every few seconds; put it back or choose another folder.`;
    }
    return `The folder ${folder} can't be read (${code === 'EACCES' || code === 'EPERM' ? 'no permission' : (code ?? 'unknown error')}). The watch is paused and tries again every few seconds.`;
  }
}

export type FolderListing = { ok: true; paths: string[] } | { ok: false; problem: string };

/** The folder's images (subfolders included, hidden files left out), without those in excluded folders. */
export async function listWatchedImages(folder: string, excludedRoots: readonly string[]): Promise<FolderListing> {
  let paths: string[];
  try {
    paths = await listImagesInFolder(folder, { maxFiles: MAX_WATCHED_IMAGES + 1 });
  } catch {
    return { ok: false, problem: `The folder ${folder} is not there (moved, renamed or deleted). The watch is paused and looks for it again every few seconds.` };
  }
  if (paths.length > MAX_WATCHED_IMAGES) {
    return { ok: false, problem: `The watched folder holds more than ${MAX_WATCHED_IMAGES.toLocaleString('en')} images, more than the watch can follow. Move some out, or choose another folder.` };
  }
  // By real folder too (one realpath per folder, not per file): a link can lead into an excluded folder.
  const realRoots = await Promise.all(excludedRoots.map(realOrResolved));
  const realFolders = new Map<string, Promise<string>>();
  const realFolderOf = (dir: string) => {
    let real = realFolders.get(dir);
    if (!real) realFolders.set(dir, (real = realOrResolved(dir)));
    return real;
  };
  const kept: string[] = [];
  for (const path of paths) {
    if (excludedRoots.some((root) => isWithin(path, root))) continue;
    const real = join(await realFolderOf(dirname(path)), basename(path));
    if (realRoots.some((root) => isWithin(real, root))) continue;
    kept.push(path);
  }
  return { ok: true, paths: kept };
}
