// A file in the data folder that another process replaces (the export presets the CLI saves or
// deletes), looked at on the change watch's poll: one stat, no file-system watcher (those miss
// changes on network drives and cost a handle each). A replace by rename gives a new inode, a write in
// place a new size or mtime.
import { statSync } from 'node:fs';

export interface FileWatch {
  /** Calls the watch's `onChange` when the file differs from the last look (made, replaced, removed). */
  check(): void;
}

function stampOf(path: string): string {
  try {
    const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
    return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}` : 'none';
  } catch {
    return 'unreadable'; // the data folder unreachable: told once, and again when it is back
  }
}

export function watchFile(path: string, onChange: () => void): FileWatch {
  let last = stampOf(path);
  return {
    check() {
      const now = stampOf(path);
      if (now === last) return;
      last = now;
      onChange();
    },
  };
}
