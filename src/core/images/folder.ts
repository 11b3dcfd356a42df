import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { ACCEPTED_IMAGE_EXTENSIONS } from '../../shared/image-formats';
import { isWithin } from '../util/within';

/** By name only: the content check happens when each file is prepared. */
const IMAGE_EXTENSIONS = new Set(ACCEPTED_IMAGE_EXTENSIONS.map((ext) => `.${ext}`));
/** A file a folder listing takes, by its name (the watched folder lists by the same rule). */
export const isImageName = (name: string) => IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
const DEFAULT_MAX_FILES = 10_000;

/** "img2" before "img10", case-insensitive, the same on every machine. */
const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Image files under `dir`, recursively, as absolute paths in folder order (each folder's entries
 * sorted by name). Hidden files and folders are skipped; symlinks are followed only while they stay
 * inside the real path of the chosen folder (a link out of it is skipped, so a scan never lists files
 * the user did not choose), and every real folder is visited once, so a link back up the tree can't
 * loop. Unreadable subfolders are skipped.
 * Throws (with a plain message) only when `dir` itself is missing or not a folder.
 */
export async function listImagesInFolder(dir: string, opts: { maxFiles?: number } = {}): Promise<string[]> {
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const root = resolve(dir);
  const rootInfo = await stat(root).catch(() => undefined);
  if (!rootInfo) throw new Error(`${dir} was not found.`);
  if (!rootInfo.isDirectory()) throw new Error(`${dir} is not a folder.`);

  const found: string[] = [];
  const rootReal = await realpath(root);
  const inside = (real: string) => isWithin(real, rootReal);
  const visited = new Set<string>([rootReal]);

  const walk = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => byName.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (found.length >= maxFiles) return;
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const kind = await entryKind(entry, path);
      if (kind === 'folder') {
        const real = await realpath(path).catch(() => undefined);
        if (real === undefined || !inside(real) || visited.has(real)) continue;
        visited.add(real);
        await walk(path);
      } else if (kind === 'file' && isImageName(entry.name)) {
        if (entry.isSymbolicLink()) {
          const real = await realpath(path).catch(() => undefined);
          if (real === undefined || !inside(real)) continue;
        }
        found.push(path);
      }
    }
  };
  await walk(root);
  return found;
}

async function entryKind(entry: Dirent, path: string): Promise<'file' | 'folder' | 'other'> {
  if (entry.isSymbolicLink()) {
    const target = await stat(path).catch(() => undefined); // dangling links are skipped
    if (!target) return 'other';
    return target.isDirectory() ? 'folder' : target.isFile() ? 'file' : 'other';
  }
  return entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other';
}
