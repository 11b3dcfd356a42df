// Opens the app's SQLite database with the pragmas the job engine relies on, then migrates it.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrate } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'image2model.db';

export interface OpenOptions {
  /** How long a writer waits for another process's lock before SQLITE_BUSY (default 5 s). */
  busyTimeoutMs?: number;
}

/** Opens `<dataDir>/image2model.db` (or ':memory:'), creating the folder when needed. */
export function openDatabase(dataDirOrMemory: string, opts: OpenOptions = {}): Db {
  const file = dataDirOrMemory === ':memory:' ? ':memory:' : join(dataDirOrMemory, DATABASE_FILE);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // WAL lets the app and the CLI read while the other writes; NORMAL sync is crash-safe in WAL
    // (a process crash loses nothing; only a power cut may drop the last commits).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
