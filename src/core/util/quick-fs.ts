// File-system calls for the engine's hot path (downloads, the library, the WAL sync). Quick metadata
// calls - opening an existing file, close, stat, rename, utimes, unlink - are made synchronously on
// purpose: measured in the engine on ext4, each takes 10-50 µs in place (median), against 35-80 µs
// of CPU for its async form (a hand-off to libuv's thread pool and back, and a promise), and a job
// makes about twenty of them on the thread that also serves the window. What can wait for the disk
// stays in the thread pool: fsync, contents, creating a file or folder (0.2-1 ms in place while
// other fsyncs run). Folders are made once per process (inFolder).
import { existsSync, fstatSync, fsync, open, openSync, closeSync, readSync, write } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const fsyncAsync = promisify(fsync);

function writeAsync(fd: number, bytes: Uint8Array, offset: number): Promise<number> {
  return new Promise((resolve, reject) =>
    write(fd, bytes, offset, bytes.byteLength - offset, null, (error, written) => (error ? reject(error) : resolve(written))),
  );
}

/** Creates `path` (it must not exist: flags 'wx') in the thread pool; resolves with its descriptor. */
export function createFile(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, 'wx', (error, fd) => (error ? reject(error) : resolve(fd))));
}

const knownFolders = new Set<string>();

const existingIsFine = (error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
};

/**
 * Makes `dir` (in the thread pool) unless this process already did: even a mkdir of an existing
 * folder costs ~0.1 ms. Only the levels below `dir`'s parent are made, one at a time: that parent
 * (the data folder) was made at start, and gone it was moved or removed under the running app - one
 * made anew at its old place would keep the user from putting theirs back, so the write fails
 * (ENOENT) and its caller says the folder went. Should `dir` itself be removed behind the process's
 * back, inFolder makes it again.
 */
async function ensureFolder(dir: string): Promise<void> {
  if (knownFolders.has(dir)) return;
  await mkdir(dir).catch(existingIsFine);
  knownFolders.add(dir);
}

/**
 * Runs `op` (which creates or moves something into `dir`) after ensureFolder; once more if `dir` was
 * gone. `dir` is a folder of the data folder (its inputs, library, previews) or one level below one
 * (the library's content-addressed subfolders): `root` names that folder of the data folder, made
 * when missing; nothing above it is ever made.
 */
export async function inFolder<T>(dir: string, op: () => Promise<T>, root: string = dir): Promise<T> {
  const make = async () => {
    if (root !== dir) await ensureFolder(root);
    await ensureFolder(dir);
  };
  await make();
  try {
    return await op();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || existsSync(dir)) throw error;
    knownFolders.delete(dir);
    knownFolders.delete(root);
    await make();
    return await op();
  }
}

/** fsync of an open file, in the thread pool. */
export function fsyncFd(fd: number): Promise<void> {
  return fsyncAsync(fd);
}

/** Opens `path` (a file, or a directory with flags 'r'), fsyncs it in the thread pool, closes it. */
export async function fsyncPath(path: string, flags = 'r'): Promise<void> {
  const fd = openSync(path, flags);
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `bytes` at the descriptor's position (short writes continue), in the thread pool. */
export async function writeAll(fd: number, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const bytesWritten = await writeAsync(fd, bytes, offset);
    if (bytesWritten <= 0) throw Object.assign(new Error('the disk accepted no bytes'), { code: 'EIO' });
    offset += bytesWritten;
  }
}

/** Files up to this size are read in place (readSmallFile). */
export const READ_IN_PLACE_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Reads a whole file: in place when it is at most READ_IN_PLACE_MAX_BYTES (a prepared input image:
 * ~0.1-1 ms from the page cache), else in the thread pool. An async read takes four trips through
 * the pool (open, stat, read, close), each queued behind the fsyncs of models being stored: measured
 * in the queue bench, a job's image waited 12 ms (median) to 200 ms for them, while its slot at FAL
 * stood free.
 */
export async function readSmallFile(path: string): Promise<Uint8Array> {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
    if (size <= READ_IN_PLACE_MAX_BYTES) return readAllSync(fd, size);
  } finally {
    closeSync(fd);
  }
  return readFile(path);
}

/** The first `size` bytes of the file (fewer if it shrank meanwhile). */
function readAllSync(fd: number, size: number): Uint8Array {
  const buffer = Buffer.allocUnsafe(size);
  let length = 0;
  while (length < size) {
    const read = readSync(fd, buffer, length, size - length, length);
    if (read === 0) break;
    length += read;
  }
  return buffer.subarray(0, length);
}
