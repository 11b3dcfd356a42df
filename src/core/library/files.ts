// Crash-safe file handling for the library: atomic writes (temp, fsync, rename, fsync dir) and
// clean-up of temp files a crash left behind (content-addressed storage: content-store.ts). Metadata calls are
// synchronous and fsyncs and contents go to the thread pool (see util/quick-fs.ts for why).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, renameSync, unlinkSync } from 'node:fs';
import { readdir, stat, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createFile, fsyncFd, fsyncPath, writeAll } from '../util/quick-fs';

/** Prefix of every temp file this module writes; removeLeftoverTempFiles looks for it. */
export const TEMP_PREFIX = '.tmp-';

/** A temp path in the same directory as `path` (so the final rename never crosses file systems). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${basename(path)}`);
}

/**
 * Makes a rename durable. Directories cannot be opened or fsynced on some platforms (Windows:
 * EPERM/EISDIR, some file systems: EINVAL), where the rename is as durable as it gets anyway.
 */
export async function fsyncDirBestEffort(dir: string): Promise<void> {
  try {
    await fsyncPath(dir);
  } catch {
    // best effort, see above
  }
}

/**
 * rename() that rides out Windows' transient locks (virus scanners and indexers briefly hold new
 * files open, which makes rename fail with EPERM/EACCES/EBUSY). Elsewhere it is a plain rename.
 */
export async function renameDurably(from: string, to: string): Promise<void> {
  const transient = new Set(['EPERM', 'EACCES', 'EBUSY']);
  for (let attempt = 1; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (process.platform !== 'win32' || !transient.has(code) || attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 50));
    }
  }
}

/** Removes a file if it is there; used to clean up temp files after a failure. */
export async function unlinkQuietly(path: string): Promise<void> {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or cannot be removed: nothing to clean
  }
}

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one, never
 * a partial file, even if the process dies half-way.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await replaceViaTemp(path, fillWith(data));
}

/** A `fill` for replaceViaTemp / createViaTemp: writes `data` to the new temp file and syncs it. */
function fillWith(data: Uint8Array): (temp: string) => Promise<void> {
  return async (temp) => {
    const fd = await createFile(temp);
    try {
      await writeAll(fd, data);
      await fsyncFd(fd);
    } finally {
      closeSync(fd);
    }
  };
}

/**
 * Replaces `path` whole or not at all: `fill` writes (and syncs) a temp file beside it, which is then
 * renamed into place durably; on any failure the temp file is removed and `path` is left as it was.
 */
export async function replaceViaTemp(path: string, fill: (temp: string) => Promise<void>): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await fill(temp);
    await renameDurably(temp, path);
  } catch (error) {
    await unlinkQuietly(temp);
    throw error;
  }
  await fsyncDirBestEffort(dirname(path));
}

/**
 * `data` complete and synced in a new temp file beside `path` (`temp`, when its name was chosen first;
 * nothing left on failure); its path. The first step of writing a set of files that appears whole or not at all (see writeFilesAtomic).
 */
export async function writeTempFile(path: string, data: Uint8Array, temp: string = tempPathFor(path)): Promise<string> {
  try {
    await fillWith(data)(temp);
  } catch (error) {
    await unlinkQuietly(temp);
    throw error;
  }
  return temp;
}

/**
 * writeFileAtomic for a set of files (an OBJ, its MTL and textures): every file is written to a temp
 * file first, and only then are they renamed into place, so a failure while writing (disk full, a
 * kill) leaves every path as it was and no temp file behind. (A failure between two renames, which
 * write nothing, would leave the set half replaced.) `beforeWrite` is awaited with the temp paths
 * before any is made.
 */
export async function writeFilesAtomic(
  files: readonly { path: string; data: Uint8Array }[],
  beforeWrite: (temps: readonly string[]) => Promise<void> = async () => undefined,
): Promise<void> {
  // Named first, so `beforeWrite` can record them (export/set-journal.ts: cleaned up after a kill).
  const temps = files.map(({ path }) => tempPathFor(path));
  try {
    await beforeWrite(temps);
    for (const [i, { path, data }] of files.entries()) await writeTempFile(path, data, temps[i]);
    for (const [i, { path }] of files.entries()) await renameDurably(temps[i]!, path);
  } finally {
    for (const temp of temps) await unlinkQuietly(temp);
  }
  for (const dir of new Set(files.map(({ path }) => dirname(path)))) await fsyncDirBestEffort(dir);
}

/**
 * writeFileAtomic that never replaces a file: false, and nothing written, when `path` exists by the time
 * the complete file would be put there - another export that looked for a free name at the same moment
 * (another window, the automatic export, the CLI) keeps its file, and this one takes the next name.
 */
export async function writeFileNew(path: string, data: Uint8Array): Promise<boolean> {
  return createViaTemp(path, fillWith(data));
}

/** replaceViaTemp for a file that must not exist yet: false (the temp file removed) when `path` does. */
export async function createViaTemp(path: string, fill: (temp: string) => Promise<void>): Promise<boolean> {
  const temp = tempPathFor(path);
  let placed: boolean;
  try {
    await fill(temp);
    placed = await placeIfFree(temp, path);
  } finally {
    // Linked into place, the temp name is a second name for the file; renamed, it is already gone.
    await unlinkQuietly(temp);
  }
  if (placed) await fsyncDirBestEffort(dirname(path));
  return placed;
}

/**
 * Errors of link() on a file system without hard links (FAT, exFAT, some network shares). On Windows
 * CreateHardLink fails on FAT32 and exFAT (USB sticks) with ERROR_INVALID_FUNCTION, which libuv reports
 * as EISDIR, and on some network shares with ERROR_ACCESS_DENIED (EACCES). A rename that then fails
 * for the same reason reports it.
 */
const NO_HARD_LINKS = new Set(['EPERM', 'EACCES', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV', 'EISDIR']);

/**
 * Gives the complete file `temp` the name `path` unless a file has it: a hard link does both at once
 * (rename would replace). Linked, `temp` is still there (the caller removes it); renamed, it is gone.
 */
export async function placeIfFree(temp: string, path: string): Promise<boolean> {
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw error;
    // No hard links here: looked for, then renamed (a file made in between is replaced).
    if (existsSync(path)) return false;
    await renameDurably(temp, path);
    return true;
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// ---- downloads ---------------------------------------------------------------------------------
// They live in download.ts (policy, streaming to a temp file); re-exported for existing callers.
export { DownloadError, downloadBytes, downloadToFile, downloadToTemp, type DownloadErrorCode, type DownloadOptions, type DownloadResult } from './download';

// ---- crash clean-up ----------------------------------------------------------------------------

/**
 * How often a temp file in use is marked live (see keepFresh): well under the clean-up's minimum age
 * (one minute), so a download that stalls, or that holds its bytes in memory until the end, is never
 * taken for a crash's leftover by another process sharing the folder.
 */
export const TEMP_FILE_TOUCH_MS = 15_000;

/**
 * Renews `path`'s modification time every `everyMs` until the returned stop is called (a timer that
 * keeps no process alive; a file gone meanwhile is fine). removeLeftoverTempFiles spares young files.
 */
export function keepFresh(path: string, everyMs: number = TEMP_FILE_TOUCH_MS): () => void {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, Math.max(10, everyMs));
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Removes `.tmp-*` files under `dir` (recursively; symlinks are not followed). Files younger than
 * `minAgeMs` (default one minute) are kept, because the app and the CLI share the library folder
 * and the other process may be writing one right now (a download keeps its file young: keepFresh).
 * Returns how many files were removed.
 */
export async function removeLeftoverTempFiles(
  dir: string,
  opts: { minAgeMs?: number; now?: number } = {},
): Promise<number> {
  const minAgeMs = opts.minAgeMs ?? 60_000;
  const now = opts.now ?? Date.now();
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0; // missing or unreadable folder: nothing to clean
  }
  let removed = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      removed += await removeLeftoverTempFiles(path, { minAgeMs, now });
    } else if (entry.isFile() && entry.name.startsWith(TEMP_PREFIX)) {
      try {
        const info = await stat(path);
        if (now - info.mtimeMs < minAgeMs) continue;
        await unlink(path);
        removed += 1;
      } catch {
        // vanished meanwhile (the other process renamed it): fine
      }
    }
  }
  return removed;
}
