// Files in the library and previews folders that no library row names: what a kill between storing a
// model's file and committing its row leaves behind (engine/library-ingest.ts). Only content-hash
// files (`<dir>/<sha[0..2]>/<sha>.<ext>`, as files.ts stores them) are looked at; anything else in
// those folders is never touched. Each file is judged and removed under the database's write lock
// (LibraryStore.removeFileUnlessReferenced), so a commit of the same file in another process either
// keeps it or sees it gone (and stores it again).
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LibraryStore } from './store';

const SHARD = /^[0-9a-f]{2}$/;
const CONTENT_NAME = /^[0-9a-f]{64}\.[a-z0-9]{1,16}$/;
/** Files looked at per sweep; a larger library is covered over several starts (each begins at a random shard). */
const MAX_FILES = 100_000;
/** Files looked at between two turns of the event loop. */
const BATCH = 200;

export interface OrphanSweepOptions {
  /** Files modified more recently are kept: another process may be between storing one and committing its row. */
  minAgeMs: number;
  /** Wall-clock time (file times are wall-clock). */
  now: () => number;
  /** Ends the sweep early (the engine stops). */
  signal: AbortSignal;
  maxFiles?: number;
  random?: () => number;
}

/** Removes unreferenced content-hash files older than `minAgeMs` from `dirs`. */
export async function sweepOrphanFiles(
  library: Pick<LibraryStore, 'allFiles' | 'removeFileUnlessReferenced'>,
  dirs: readonly string[],
  opts: OrphanSweepOptions,
): Promise<{ checked: number; removed: number }> {
  const maxFiles = opts.maxFiles ?? MAX_FILES;
  // A snapshot only to skip the files in use without taking the lock; the decision is made under it.
  const referenced = new Set<string>();
  for (const row of library.allFiles()) {
    referenced.add(row.filePath);
    if (row.previewPath) referenced.add(row.previewPath);
  }
  let checked = 0;
  let removed = 0;
  for (const dir of dirs) {
    const shards = (await entriesOf(dir)).filter((entry) => entry.isDirectory() && SHARD.test(entry.name)).map((entry) => entry.name);
    const first = Math.floor((opts.random ?? Math.random)() * shards.length);
    for (const shard of [...shards.slice(first), ...shards.slice(0, first)]) {
      for (const entry of await entriesOf(join(dir, shard))) {
        if (opts.signal.aborted || checked >= maxFiles) return { checked, removed };
        if (!entry.isFile() || !CONTENT_NAME.test(entry.name) || !entry.name.startsWith(shard)) continue;
        checked++;
        if (checked % BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
        const path = join(dir, shard, entry.name);
        if (referenced.has(path)) continue;
        const cutoff = opts.now() - opts.minAgeMs;
        if (!(await modifiedBefore(path, cutoff))) continue;
        if (library.removeFileUnlessReferenced(path, { modifiedBefore: cutoff })) removed++;
      }
    }
  }
  return { checked, removed };
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // missing or unreadable: nothing to sweep
  }
}

async function modifiedBefore(path: string, time: number): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs < time;
  } catch {
    return false;
  }
}
