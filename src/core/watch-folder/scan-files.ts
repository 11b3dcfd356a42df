// What one scan makes of the files it looks at: a file not known yet is new, there before (ignored), or
// there before but changed just now (fresh: a copy may be under way); a known file whose size or time
// changed is being written and waits again; one that stayed the same for stableMs is ready to be taken.
import { mapLimit } from '../util/map-limit';
import { fileFacts } from './files';
import type { FileTable } from './known-files';

/** A file there when the watch is turned on that changed this much (beyond stableMs) before is watched a while: a copy may be under way. */
const FRESH_MS = 1_000;

/**
 * Files stat'ed at once: turning the watch on looks at every file in the folder (10,000 one after the
 * other kept the switch waiting ~0.7 s - bench/watch-folder.bench.ts); the thread pool runs these side by side.
 */
const STAT_AT_ONCE = 16;

/** "img2" before "img10", as a folder drop lists them (images/folder.ts). */
const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
export const byFolderOrder = (a: string, b: string) => byName.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export interface LookOptions {
  /** Unknown files are new only when they arrived after this; null: every unknown file is new. */
  newerThan: number | null;
  stableMs: number;
  /** When the scan started (the watch's clock). */
  startedAt: number;
}

/** Brings `files` up to date for `paths`; answers the paths ready to be taken, in folder order. */
export async function lookAt(files: FileTable, paths: Iterable<string>, options: LookOptions): Promise<string[]> {
  const { newerThan, stableMs, startedAt } = options;
  const ready: string[] = [];
  const list = [...paths];
  const allFacts = await mapLimit(list, STAT_AT_ONCE, (path) => fileFacts(path));
  for (const [i, path] of list.entries()) {
    const entry = files.get(path);
    const facts = allFacts[i];
    if (!facts) continue;
    if (!entry) {
      // A file seen before under another name or back after a while keeps its inode, size and time: not a new image.
      const before = files.recall(facts);
      const isNew = newerThan === null || facts.arrivedMs > newerThan;
      const fresh = Date.now() - facts.arrivedMs <= stableMs + FRESH_MS;
      files.set(path, { ...facts, kind: before ?? (isNew ? 'pending' : fresh ? 'fresh' : 'ignored'), seenAt: startedAt });
      continue;
    }
    // Being written (a copy under way, a file saved again, a refused one written whole): taken once it stops changing.
    if (facts.size !== entry.size || facts.mtimeMs !== entry.mtimeMs) {
      // An image there before the watch, edited in place (same inode: a photo tool's save, a tag
      // written), stays out: the user was told those are not added, and each would be a paid job.
      const editedBefore = entry.kind === 'ignored' && facts.ino !== 0 && facts.ino === entry.ino;
      files.set(path, { ...facts, kind: editedBefore ? 'ignored' : 'pending', seenAt: startedAt });
      continue;
    }
    if (entry.kind === 'pending' && startedAt - entry.seenAt >= stableMs) ready.push(path);
    if (entry.kind === 'fresh' && startedAt - entry.seenAt >= stableMs) files.set(path, { ...entry, kind: 'ignored' });
  }
  return ready.sort(byFolderOrder);
}
