// What every part of the job store shares: the connection, its statement cache, the redaction of
// stored text, the journal (job_events) and the SQL fragments for state groups.
import type { Database, Statement } from 'better-sqlite3';
import type { WalSync } from '../db/wal-sync';
import { ACTIVE_STATES, type JobState } from '../../shared/domain';
import type { EventKind } from './rows';

export interface StoreContext {
  readonly db: Database;
  readonly stmt: (sql: string) => Statement;
  /** Cleans every stored text: outside text may echo the key, and what is stored is shown later. */
  readonly redact: (text: string) => string;
  /** Off-thread fsync of the WAL for a file database (JobStore.syncToDisk); null: commits sync themselves. */
  readonly walSync: WalSync | null;
}

export const ACTIVE_SQL = ACTIVE_STATES.map((s) => `'${s}'`).join(',');
export const TERMINAL_SQL = `'succeeded','failed','canceled','needs_attention'`;
export const ORDER = 'ORDER BY created_at, rowid';
/**
 * A FAL job that needs no key to end: its kept answer (engine/stored-result.ts) is for its current
 * request and the model link in it has not failed since the last Download again. CASE: json_extract
 * throws on a malformed value.
 */
export const KEPT_LINK_USABLE_SQL = `(fal_request_id IS NOT NULL AND COALESCE(CASE WHEN json_valid(result_output_json)
  THEN json_extract(result_output_json, '$.requestId') = fal_request_id AND json_extract(result_output_json, '$.linkFailed') IS NULL END, 0))`;

/**
 * Runs `fn` with a synced commit (PRAGMA synchronous = FULL), for the few writes that must
 * survive a power cut; everything else commits with the connection's NORMAL sync.
 */
export function durably<T>(ctx: StoreContext, fn: () => T): T {
  ctx.db.pragma('synchronous = FULL');
  try {
    return fn();
  } finally {
    ctx.db.pragma('synchronous = NORMAL');
  }
}

/** Adds a journal line; call inside the caller's transaction. */
export function appendEvent(
  ctx: StoreContext,
  jobId: string,
  kind: EventKind,
  from: JobState | null,
  to: JobState | null,
  message: string | null,
  at: number,
): void {
  ctx.stmt('INSERT INTO job_events (job_id, at, kind, from_state, to_state, message) VALUES (?, ?, ?, ?, ?, ?)').run(
    jobId,
    at,
    kind,
    from,
    to,
    message === null ? null : ctx.redact(message),
  );
}
