// What the watch knows of each image in the folder: there before (ignored), waiting to stop changing
// (pending), handed to the queue (taken) or refused. Files that left the listing are kept by inode,
// size and time: one renamed or moved within the folder, a subfolder moved out and back, or one a
// network share or a permission change hid for a while comes back as the file it was (an image there
// before the watch is still not added).
import type { FileFacts } from './files';

/** fresh: there when the watch was turned on but changed just before - watched, and new if it changes again (a copy under way). */
export type FileKind = 'ignored' | 'fresh' | 'pending' | 'taken' | 'refused';
type SavedKind = 'ignored' | 'taken' | 'refused';

/** What a start needs (saved-list.ts): each settled file by path, inode, size and time, and those that left. */
export interface SavedFiles {
  files: [path: string, ino: number, size: number, mtimeMs: number, kind: SavedKind][];
  gone: [id: string, kind: SavedKind][];
}

export interface KnownFile extends FileFacts {
  kind: FileKind;
  /** When this size and time were first seen (the watch's clock). */
  seenAt: number;
}

export interface FileTable {
  get(path: string): KnownFile | undefined;
  set(path: string, file: KnownFile): void;
  /** The file is no longer listed: remembered by identity. */
  drop(path: string): void;
  /** What a file not known by its path was, if it is one that left the listing (then forgotten there). */
  recall(facts: FileFacts): FileKind | undefined;
  /** Files to look at at every scan: waiting, or refused (tried again when they change). */
  unsettled(): string[];
  /** Every known path (a full pass stats them all: a file written again in place is new). */
  paths(): string[];
  /** Forgets the paths not in `present` (a saved list's files no longer there). */
  keepOnly(present: ReadonlySet<string>): void;
  /** How many files are waiting to stop changing. */
  waiting(): number;
  /** The earliest arrival of a file still waiting (null: none waits). */
  firstWaitingArrival(): number | null;
  clear(): void;
  /** The settled files to save (a file still waiting is not: it is new at the next start), and whether any changed since the last call. */
  save(): { files: SavedFiles; changed: boolean };
  load(saved: SavedFiles): void;
}

/** A file by inode, size and time (null where the file system keeps no inode). */
export const identity = (facts: FileFacts) => (facts.ino === 0 ? null : `${facts.ino}:${facts.size}:${facts.mtimeMs}`);

export function createFileTable(maxGone: number): FileTable {
  const known = new Map<string, KnownFile>();
  const unsettled = new Set<string>();
  const gone = new Map<string, FileKind>();
  let changed = false;
  const saved = (kind: FileKind): SavedKind | null => (kind === 'fresh' ? 'ignored' : kind === 'pending' ? null : kind);

  const waitingFiles = () => [...unsettled].map((path) => known.get(path)).filter((file) => file?.kind === 'pending');

  return {
    get: (path) => known.get(path),
    set(path, file) {
      known.set(path, file);
      changed = true;
      if (file.kind === 'pending' || file.kind === 'refused' || file.kind === 'fresh') unsettled.add(path);
      else unsettled.delete(path);
    },
    drop(path) {
      const file = known.get(path);
      if (!file) return;
      known.delete(path);
      unsettled.delete(path);
      changed = true;
      const id = identity(file);
      if (!id) return;
      gone.delete(id);
      gone.set(id, file.kind);
      if (gone.size > maxGone) gone.delete(gone.keys().next().value!);
    },
    recall(facts) {
      const id = identity(facts);
      if (!id) return undefined;
      const kind = gone.get(id);
      gone.delete(id);
      return kind;
    },
    unsettled: () => [...unsettled],
    paths: () => [...known.keys()],
    keepOnly(present) {
      for (const path of [...known.keys()]) if (!present.has(path)) this.drop(path);
    },
    waiting: () => waitingFiles().length,
    firstWaitingArrival() {
      const arrivals = waitingFiles().map((file) => file!.arrivedMs);
      return arrivals.length > 0 ? Math.min(...arrivals) : null;
    },
    clear() {
      known.clear();
      unsettled.clear();
      gone.clear();
      changed = false;
    },
    save() {
      const files: SavedFiles = { files: [], gone: [] };
      for (const [path, file] of known) {
        const kind = saved(file.kind);
        if (kind) files.files.push([path, file.ino, file.size, file.mtimeMs, kind]);
      }
      for (const [id, kind] of gone) {
        const as = saved(kind);
        if (as) files.gone.push([id, as]);
      }
      const was = changed;
      changed = false;
      return { files, changed: was };
    },
    load(list) {
      for (const [path, ino, size, mtimeMs, kind] of list.files) {
        known.set(path, { ino, size, mtimeMs, arrivedMs: mtimeMs, kind, seenAt: 0 });
      }
      for (const [id, kind] of list.gone) gone.set(id, kind);
    },
  };
}
