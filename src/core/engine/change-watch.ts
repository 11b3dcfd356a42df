// Sees what other processes (the desktop app, CLI runs, the browser transport) change in the shared
// database, within `intervalMs`: PRAGMA data_version moves only when another connection commits, so
// the poll costs one pragma while nothing happens. On a change, the rows named in row_changes since the
// last look (a log the database's triggers write, migration 19) are read and compared with the last
// snapshot, and the differences go out as the engine's usual events, so waiters (CLI runs) and every
// window see the same truth whoever did the work. A look costs what changed, not the size of the
// history: with 10,000 jobs and models, comparing whole tables took ~1 s of the main thread per look.
// When the log was pruned past the last look (a long pause), the whole tables are compared once.
// Files beside the database that other processes replace (the export presets) are looked at on the
// same poll (file-watch.ts: one stat each).
import type { Database } from 'better-sqlite3';
import type { Job } from '../../shared/domain';
import { writeTx } from '../db/write';
import type { JobStore } from '../queue/store';
import type { FileWatch } from './file-watch';
import { toJob, type JobRow } from '../queue/store';

export interface ChangeWatchDeps {
  db: Database;
  store: JobStore;
  intervalMs: number;
  /** `stateChanged`: the job's state differs from the last snapshot. */
  onJob: (row: JobRow, stateChanged: boolean) => void;
  /** Rows this engine's own workers hold: their events come from the workers, fresher than the DB. */
  isOwn: (row: JobRow) => boolean;
  onLibrary: (change: { kind: 'added' | 'removed' | 'updated'; id: string }) => void;
  onQueue: () => void;
  onError: (error: unknown) => void;
  /** Files other processes replace (the export presets), looked at on every poll too. */
  files?: readonly FileWatch[];
  /** When the log is cut back (tests make it small): see PRUNE_AT, KEEP_ROWS, PRUNE_EVERY. */
  prune?: { at: number; keep: number; everyPolls: number };
}

export interface ChangeWatch {
  start(): void;
  stop(): void;
  /** Checks now (also used by tests). */
  poll(): void;
}

/** Past this many unread log rows, one whole comparison is cheaper than reading them row by row. */
const WHOLE_LOOK_AFTER = 5_000;
/** The log is cut back to its newest KEEP_ROWS rows once it holds PRUNE_AT (checked every PRUNE_EVERY polls). */
const PRUNE_AT = 50_000;
const KEEP_ROWS = 20_000;
const PRUNE_EVERY = 40;

interface LogRow {
  seq: number;
  tbl: 'job' | 'model';
  row_id: string;
}

export function createChangeWatch(deps: ChangeWatchDeps): ChangeWatch {
  const { db } = deps;
  let timer: ReturnType<typeof setInterval> | null = null;
  let version = -1;
  /** The last log row this watch has applied. */
  let seenSeq = 0;
  let pollsSincePruneCheck = 0;
  const jobs = new Map<string, string>();
  const models = new Map<string, string>();
  const versionStmt = db.prepare('PRAGMA data_version').pluck();
  const modelsStmt = db.prepare('SELECT id, name, tags_json FROM models');
  const modelStmt = db.prepare('SELECT id, name, tags_json FROM models WHERE id = ?');
  const boundsStmt = db.prepare('SELECT MIN(seq) AS low, MAX(seq) AS high FROM row_changes');
  const logStmt = db.prepare('SELECT seq, tbl, row_id FROM row_changes WHERE seq > ? ORDER BY seq LIMIT ?');
  const pruneStmt = db.prepare('DELETE FROM row_changes WHERE seq <= ?');

  const jobSignature = (job: Job) => `${job.state}\u0000${JSON.stringify(job)}`;
  const modelSignature = (row: { name: string; tags_json: string }) => `${row.name}\u0000${row.tags_json}`;
  const bounds = () => boundsStmt.get() as { low: number | null; high: number | null };

  /** A job as read now (null: removed): updates the snapshot; says whether the queue changed. */
  function jobRead(id: string, row: JobRow | null, emit: boolean): boolean {
    const before = jobs.get(id);
    if (!row) return jobs.delete(id);
    const signature = jobSignature(toJob(row));
    if (before === signature) return false;
    jobs.set(id, signature);
    if (emit && !deps.isOwn(row)) deps.onJob(row, before === undefined || !before.startsWith(`${row.state}\u0000`));
    return true;
  }

  function modelRead(id: string, row: { name: string; tags_json: string } | undefined, emit: boolean): void {
    const before = models.get(id);
    if (!row) {
      if (models.delete(id) && emit) deps.onLibrary({ kind: 'removed', id });
      return;
    }
    const signature = modelSignature(row);
    if (before === signature) return;
    models.set(id, signature);
    if (emit) deps.onLibrary({ kind: before === undefined ? 'added' : 'updated', id });
  }

  /** Compares the whole tables with the snapshot (at start, and when the log no longer reaches back). */
  function takeWhole(emit: boolean): void {
    const high = bounds().high ?? 0;
    let queueChanged = false;
    const present = new Set<string>();
    for (const row of deps.store.list()) {
      present.add(row.id);
      if (jobRead(row.id, row, emit)) queueChanged = true;
    }
    for (const id of [...jobs.keys()]) if (!present.has(id) && jobRead(id, null, emit)) queueChanged = true;
    const rows = modelsStmt.all() as { id: string; name: string; tags_json: string }[];
    const presentModels = new Set(rows.map((row) => row.id));
    for (const row of rows) modelRead(row.id, row, emit);
    for (const id of [...models.keys()]) if (!presentModels.has(id)) modelRead(id, undefined, emit);
    seenSeq = Math.max(seenSeq, high);
    if (emit && queueChanged) deps.onQueue();
  }

  /** Reads only the rows the log names since the last look; false when it cannot (pruned, too many). */
  function takeLogged(): boolean {
    const { low } = bounds();
    if (low !== null && low > seenSeq + 1) return false; // pruned past the last look
    const log = logStmt.all(seenSeq, WHOLE_LOOK_AFTER + 1) as LogRow[];
    if (log.length > WHOLE_LOOK_AFTER) return false;
    const jobIds = new Set<string>();
    const modelIds = new Set<string>();
    for (const entry of log) (entry.tbl === 'job' ? jobIds : modelIds).add(entry.row_id);
    let queueChanged = false;
    for (const id of jobIds) if (jobRead(id, deps.store.get(id), true)) queueChanged = true;
    for (const id of modelIds) modelRead(id, modelStmt.get(id) as { name: string; tags_json: string } | undefined, true);
    if (log.length > 0) seenSeq = log[log.length - 1]!.seq;
    if (queueChanged) deps.onQueue();
    return true;
  }

  /** Keeps the log short; any process may do it (the newest row always stays, so seq only grows). */
  function pruneIfLong(): void {
    const { at, keep, everyPolls } = deps.prune ?? { at: PRUNE_AT, keep: KEEP_ROWS, everyPolls: PRUNE_EVERY };
    if (++pollsSincePruneCheck < everyPolls) return;
    pollsSincePruneCheck = 0;
    const { low, high } = bounds();
    if (low === null || high === null || high - low < at) return;
    writeTx(db, () => pruneStmt.run(high - keep));
  }

  function poll(): void {
    try {
      for (const file of deps.files ?? []) file.check();
      pruneIfLong();
      const current = Number(versionStmt.get());
      if (current === version) return;
      version = current;
      // One read transaction: the log and the rows it names come from the same snapshot.
      db.transaction(() => {
        if (!takeLogged()) takeWhole(true);
      })();
    } catch (error) {
      deps.onError(error);
    }
  }

  return {
    start() {
      if (timer) return;
      version = Number(versionStmt.get());
      db.transaction(() => takeWhole(false))();
      timer = setInterval(poll, deps.intervalMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    poll,
  };
}
