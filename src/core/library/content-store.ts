// Content-addressed storage for the library: a model or preview is stored at a path named by its
// SHA-256, written (or moved) there crash-safely with files.ts; an identical file already there is reused.
import { statSync, utimesSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inFolder } from '../util/quick-fs';
import { fsyncDirBestEffort, renameDurably, sha256Hex, unlinkQuietly, writeFileAtomic } from './files';

/** `<libraryDir>/<sha[0..2]>/<sha>.<ext>`, the extension checked (a short alphanumeric one) and lower-cased. */
function contentPath(libraryDir: string, sha256: string, ext: string): { dir: string; path: string } {
  const cleanExt = ext.replace(/^\./, '');
  if (!/^[a-z0-9]{1,16}$/i.test(cleanExt)) throw new Error(`Invalid file extension: "${ext}"`);
  const dir = join(libraryDir, sha256.slice(0, 2));
  return { dir, path: join(dir, `${sha256}.${cleanExt.toLowerCase()}`) };
}

/**
 * Stores `bytes` at `<libraryDir>/<sha[0..2]>/<sha>.<ext>`. An identical file already there is
 * reused (`existed: true`); a damaged one (different content) is replaced.
 */
export async function storeByContentHash(
  libraryDir: string,
  bytes: Uint8Array,
  ext: string,
): Promise<{ path: string; sha256: string; existed: boolean }> {
  const sha256 = sha256Hex(bytes);
  const { dir, path } = contentPath(libraryDir, sha256, ext);

  if ((await hasContent(path, bytes.byteLength, sha256)) && markStored(path)) return { path, sha256, existed: true };
  await inFolder(dir, () => writeFileAtomic(path, bytes), libraryDir);
  return { path, sha256, existed: false };
}

/**
 * Moves a finished temp file (written and synced in `libraryDir`, see downloadToTemp) to its
 * content-addressed place, as storeByContentHash would store its bytes - without writing them again.
 * The temp file is gone afterwards, whatever happens. `durable` false (a preview, written unsynced):
 * the move is not synced either - after a power cut the file may be missing or short, which the
 * window falls back from, and the next identical one replaces (hasContent checks the bytes).
 */
export async function adoptByContentHash(
  libraryDir: string,
  temp: { path: string; size: number; sha256: string },
  ext: string,
  durable = true,
): Promise<{ path: string; sha256: string; existed: boolean }> {
  try {
    const { dir, path } = contentPath(libraryDir, temp.sha256, ext);
    if ((await hasContent(path, temp.size, temp.sha256)) && markStored(path)) {
      await unlinkQuietly(temp.path);
      return { path, sha256: temp.sha256, existed: true };
    }
    await inFolder(dir, () => renameDurably(temp.path, path), libraryDir);
    markStored(path); // the rename keeps the download's time
    if (durable) await fsyncDirBestEffort(dir);
    return { path, sha256: temp.sha256, existed: false };
  } catch (error) {
    await unlinkQuietly(temp.path);
    throw error;
  }
}

/**
 * Renews a stored file's modification time: the unreferenced-file sweep (orphans.ts) spares young files,
 * so a file about to be committed is not taken. False when the file is gone (the sweep took it first).
 */
function markStored(path: string): boolean {
  const now = new Date();
  try {
    utimesSync(path, now, now);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

async function hasContent(path: string, size: number, sha256: string): Promise<boolean> {
  try {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info?.isFile() || info.size !== size) return false;
    return sha256Hex(await readFile(path)) === sha256;
  } catch {
    return false;
  }
}
