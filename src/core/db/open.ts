// Opens the app's SQLite database with the pragmas the job engine relies on, then migrates it.
import Database from 'better-sqlite3';
import { dirname, join } from 'node:path';
import { leaveCheckpointsToWorker } from './checkpointer';
import { migrate } from './migrations';
import { makeFolderSync } from '../util/make-folder';

export type Db = Database.Database;

export const DATABASE_FILE = 'image2model.db';

export interface OpenOptions {
  /** How long a writer waits for another process's lock before SQLITE_BUSY (default 5 s). */
  busyTimeoutMs?: number;
  /**
   * The process runs WAL checkpoints in a worker thread (db/checkpointer.ts): this connection checks
   * only at the safety net's size, so its commits do not checkpoint (and fsync) on its thread.
   */
  checkpointsInBackground?: boolean;
}

/** Opens `<dataDir>/image2model.db` (or ':memory:'), creating the folder when needed. */
export function openDatabase(dataDirOrMemory: string, opts: OpenOptions = {}): Db {
  const file = dataDirOrMemory === ':memory:' ? ':memory:' : join(dataDirOrMemory, DATABASE_FILE);
  // Not a recursive mkdirSync: it never returns for /proc/self/<new> (`image2model resume` hung there).
  if (file !== ':memory:') makeFolderSync(dirname(file));
  // Electron loads a copy of the driver built for its own ABI (scripts/electron-native.mjs); Node
  // (tests, CLI) uses the one in node_modules.
  const nativeBinding = process.env.IMAGE2MODEL_SQLITE_BINDING;
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    // WAL lets the app and the CLI read while the other writes. NORMAL sync survives any process
    // crash; only a power cut may drop the last commits. The commits that must survive even that
    // (the armed submit intent, new jobs) are made so for themselves by an fsync of the WAL off this
    // thread (db/wal-sync.ts): the job waits for it before it may be sent (engine/fal-steps.ts), the
    // caller adding jobs before it is answered (engine/intake.ts; queue/store-add insertDurably). A
    // paid job is then never submitted again unasked (a lost request id leaves the intent:
    // needs_attention, settled by reconciliation). FULL on a commit cost ~4 ms here (3-10 ms under
    // load), blocking the thread that also serves the window.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    // Sorts and statement journals in memory: each temp file SQLite makes is created (and at once
    // removed) on this thread, in /var/tmp - 0.1-1 ms each on ext4 where many files were just removed.
    db.pragma('temp_store = MEMORY');
    if (opts.checkpointsInBackground) leaveCheckpointsToWorker(db);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
