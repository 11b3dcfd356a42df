// What the watch reads from disk: the folder's images (the app's own listing rules), each file's size
// and times, and the folders whose images are never taken (the app writes images there itself).
import { realpath, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { isWithin } from '../util/within';

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

/** A folder's path with its links resolved (as given where it can't be resolved: not there yet). */
async function realOrResolved(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

/** The folders the app writes images into, as given and with their links resolved (once a scan). */
export interface AppFolders {
  paths: string[];
  reals: string[];
}

export async function appFolders(roots: readonly string[]): Promise<AppFolders> {
  return { paths: roots.map((root) => resolve(root)), reals: await Promise.all(roots.map(realOrResolved)) };
}

/**
 * `path` (a folder) is inside one of the app's folders, by the path as given or by where it really is
 * (`real`): a watched folder chosen through a link, or a link inside it, must not reach them.
 */
export function isAppFolder(path: string, real: string, app: AppFolders): boolean {
  return app.paths.some((root) => isWithin(resolve(path), root)) || app.reals.some((root) => isWithin(real, root));
}

/** `path` is inside one of `roots` (see isAppFolder). */
export async function isWithinAny(path: string, roots: readonly string[]): Promise<boolean> {
  return isAppFolder(path, await realOrResolved(path), await appFolders(roots));
}

/** Why `folder` can't be watched now (in words for the user), or where it really is and its device and inode. */
export async function folderProblem(folder: string, app: AppFolders): Promise<{ problem: string } | { real: string; id: string }> {
  const name = basename(folder) || folder;
  const real = await realOrResolved(folder);
  if (isAppFolder(folder, real, app)) {
    return { problem: `${name} is a folder the app writes into (its data or export folder), so it is not watched: exported textures would become new jobs. Choose another folder to watch.` };
  }
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) return { problem: `${folder} is no longer a folder. The watch is paused and looks again every few seconds; put the folder back or choose another.` };
    return { real, id: `${info.dev}:${info.ino}` }; // whether it can be listed, the listing tells (listing.ts)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { problem: `The folder ${folder} is not there (moved, renamed or deleted). The watch is paused and looks for it again every few seconds; put it back or choose another folder.` };
    }
    return { problem: `The folder ${folder} can't be read (${code === 'EACCES' || code === 'EPERM' ? 'no permission' : (code ?? 'unknown error')}). The watch is paused and tries again every few seconds.` };
  }
}
