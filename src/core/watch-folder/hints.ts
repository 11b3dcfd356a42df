// fs.watch as a hint: it never decides what is new (the scan does), it says which folders and files to
// look at now and brings the next scan forward. macOS and Windows watch a whole tree natively; on Linux
// Node's recursive watch opens a watch per file with synchronous stats (10,000 images: seconds of a
// blocked main thread and beyond the usual inotify limit), so each listed folder gets its own watch,
// up to MAX_FOLDER_WATCHES. Where fs.watch fails (network shares...) the scans still find everything.
import { watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';

const NATIVE_TREE = process.platform === 'darwin' || process.platform === 'win32';
const MAX_FOLDER_WATCHES = 256;

export interface Hinted {
  /** Folders whose entries changed (a file added, removed or renamed). */
  folders: Set<string>;
  /** Files written or renamed. */
  files: Set<string>;
}

export interface Hints {
  /** Watches `root` (and, on Linux, each of `folders`): called after each scan with what it listed. */
  follow(root: string, folders: readonly string[]): void;
  /** What fs.watch named since the last call. */
  take(): Hinted;
  close(): void;
}

export function createHints(onEvent: () => void): Hints {
  const watchers = new Map<string, FSWatcher>();
  const failed = new Set<string>();
  let root: string | null = null;
  let hinted: Hinted = { folders: new Set(), files: new Set() };

  const open = (folder: string, recursive: boolean) => {
    if (watchers.has(folder) || failed.has(folder)) return;
    try {
      const watcher = watch(folder, { persistent: false, recursive }, (type, name) => {
        if (name === null) {
          hinted.folders.add(folder);
        } else {
          const path = join(folder, name.toString());
          hinted.files.add(path);
          if (type === 'rename') hinted.folders.add(dirname(path));
        }
        onEvent();
      });
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(folder);
        failed.add(folder);
      });
      watchers.set(folder, watcher);
    } catch {
      failed.add(folder);
    }
  };
  const close = () => {
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
    failed.clear();
    root = null;
  };

  return {
    follow(top, folders) {
      if (root !== top) close();
      root = top;
      if (NATIVE_TREE) return open(top, true);
      const wanted = new Set(folders.slice(0, MAX_FOLDER_WATCHES));
      for (const [folder, watcher] of watchers) {
        if (wanted.has(folder)) continue;
        watcher.close();
        watchers.delete(folder);
      }
      for (const folder of wanted) open(folder, false);
    },
    take() {
      const taken = hinted;
      hinted = { folders: new Set(), files: new Set() };
      return taken;
    },
    close,
  };
}
