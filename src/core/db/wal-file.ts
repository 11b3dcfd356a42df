// The database's WAL file as the WAL sync (wal-sync.ts) fsyncs it: through one descriptor, opened
// with the sync and kept until the database closes. On Linux a write-back error is reported (errseq)
// once to each descriptor that was open when it happened; a descriptor opened later never sees it. Had
// SQLite's own checkpoint, the app's other connection or a CLI run been told first, a descriptor
// opened per sync would answer success over pages the kernel dropped: the kept one is told.
import { closeSync, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { errorMessage } from '../util/errors';

/** The WAL could not be opened, or the path no longer leads to it (no fsync ran): later syncs may work. */
export class WalUnreachable extends Error {}

export interface WalFile {
  /** Resolves once the WAL's data is on disk (at once when the database closed and its WAL went). */
  fsync(): Promise<void>;
  /** Closes the kept descriptor (after a running fsync): before the database closes - Windows keeps a deleted file pending while a handle is open. */
  close(): void;
}

const WHAT_TO_DO = 'Nothing is sent to FAL until it can be: put the folder back, or restart Image2Model.';

function unreachable(path: string, why: string, cause?: unknown): WalUnreachable {
  return Object.assign(new WalUnreachable(`The database's journal (${path}) ${why} ${WHAT_TO_DO}`, { cause }), {
    code: (cause as NodeJS.ErrnoException | undefined)?.code,
  });
}

const GONE = 'could not be opened to save changes: it is gone - was the data folder moved or removed?';

/**
 * `isOpen`: the database is open. No WAL once it is closed: the last connection (the engine stopping
 * while a drop waited for its sync) checkpointed every commit into the database file, synced it and
 * deleted the WAL - what the caller waits for is on disk. No WAL (or another file at its path) while
 * it is open (SQLite never removes it then): the data folder was moved or removed under the app -
 * nothing can be confirmed, so nothing is.
 */
export function openWalFile(path: string, isOpen: () => boolean, fsyncFd: (fd: number, path: string) => Promise<void>): WalFile {
  let kept: number | null = null;
  let closed = false;
  let running = 0;

  /** The WAL's descriptor; null: none is left to sync (the database closed). */
  const open = (): number | null => {
    try {
      return openSync(path, 'r+');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !isOpen()) return null;
      throw unreachable(path, code === 'ENOENT' ? GONE : `could not be opened to save changes: ${errorMessage(error)}`, error);
    }
  };
  const closeKept = () => {
    if (kept === null) return;
    try {
      closeSync(kept);
    } catch {
      // Already invalid: nothing is held.
    }
    kept = null;
  };
  /** Whether the kept descriptor's file is still the WAL at `path` (false: the database closed and its WAL went). */
  const stillTheWal = (fd: number): boolean => {
    const held = fstatSync(fd);
    if (held.nlink === 0 && !isOpen()) return false;
    let atPath: Stats;
    try {
      atPath = statSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw unreachable(path, GONE, error);
      throw unreachable(path, `could not be checked before saving changes: ${errorMessage(error)}`, error);
    }
    if (held.nlink === 0 || held.dev !== atPath.dev || held.ino !== atPath.ino) {
      // fsync of the file the app had would report success for a file the database no longer uses.
      throw unreachable(path, 'is no longer the file the app saves to: was the data folder moved, removed or replaced?');
    }
    return true;
  };

  // Opened now: errors from here on are reported to it. Should it fail, the first sync opens it (or says why).
  try {
    kept = open();
  } catch {
    kept = null;
  }

  return {
    async fsync() {
      if (closed || (kept === null && !isOpen())) {
        // Closed: once, by path, as each sync did before a descriptor was kept.
        const fd = open();
        if (fd === null) return;
        try {
          await fsyncFd(fd, path);
        } finally {
          closeSync(fd);
        }
        return;
      }
      kept ??= open();
      if (kept === null || !stillTheWal(kept)) return;
      running += 1;
      try {
        await fsyncFd(kept, path);
      } finally {
        running -= 1;
        if (closed && running === 0) closeKept();
      }
    },
    close() {
      closed = true;
      // A running fsync still uses the descriptor (its number could be another file's once closed).
      if (running === 0) closeKept();
    },
  };
}
