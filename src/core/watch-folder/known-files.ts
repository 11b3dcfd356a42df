// What the watch knows of each image in the folder: there before (ignored), waiting to stop changing
// (pending), handed to the queue (taken) or refused. Files that left the listing are kept by inode,
// size and time: one renamed or moved within the folder, a subfolder moved out and back, or one a
// network share or a permission change hid for a while comes back as the file it was (an image there
// before the watch is still not added).
import type { FileFacts } from './files';

export type FileKind = 'ignored' | 'pending' | 'taken' | 'refused';

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
  /** How many files are waiting to stop changing. */
  waiting(): number;
  /** The earliest arrival of a file still waiting (null: none waits). */
  firstWaitingArrival(): number | null;
  clear(): void;
}

/** A file by inode, size and time (null where the file system keeps no inode). */
export const identity = (facts: FileFacts) => (facts.ino === 0 ? null : `${facts.ino}:${facts.size}:${facts.mtimeMs}`);

export function createFileTable(maxGone: number): FileTable {
  const known = new Map<string, KnownFile>();
  const unsettled = new Set<string>();
  const gone = new Map<string, FileKind>();

  const waitingFiles = () => [...unsettled].map((path) => known.get(path)).filter((file) => file?.kind === 'pending');

  return {
    get: (path) => known.get(path),
    set(path, file) {
      known.set(path, file);
      if (file.kind === 'pending' || file.kind === 'refused') unsettled.add(path);
      else unsettled.delete(path);
    },
    drop(path) {
      const file = known.get(path);
      if (!file) return;
      known.delete(path);
      unsettled.delete(path);
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
    waiting: () => waitingFiles().length,
    firstWaitingArrival() {
      const arrivals = waitingFiles().map((file) => file!.arrivedMs);
      return arrivals.length > 0 ? Math.min(...arrivals) : null;
    },
    clear() {
      known.clear();
      unsettled.clear();
      gone.clear();
    },
  };
}
