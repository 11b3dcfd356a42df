// A preview is stored without an fsync (engine/library-ingest.ts): after a power cut its file may be
// short, or hold zeros where the image was. A browser draws such an image half, grey below, and fires no
// error the card could fall back on (ModelCard shows the source photo on an error). A preview's name is
// its SHA-256, so its bytes are checked before it is served - once for each version of the file.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { sha256Hex } from './files';

/** Path -> the version (inode, size, time) whose bytes matched its name. */
const intact = new Map<string, string>();
/** Bounds the memory for a very large library: past it, files are checked again. */
const MAX_REMEMBERED = 50_000;

/** False when the preview at `path` is gone or its bytes are not the ones it was stored with. */
export function isIntactPreview(path: string): boolean {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info?.isFile()) return false;
  const version = `${info.ino}:${info.size}:${info.mtimeMs}`;
  if (intact.get(path) === version) return true;
  const named = /^([0-9a-f]{64})\.[a-z0-9]+$/.exec(basename(path))?.[1];
  // Not named by its content (not stored by content-store.ts): nothing to check it against.
  if (!named) return true;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return false;
  }
  if (sha256Hex(bytes) !== named) return false;
  if (intact.size >= MAX_REMEMBERED) intact.clear();
  intact.set(path, version);
  return true;
}
