// Sees what other processes (the desktop app, CLI runs, the browser transport) change in the shared
// database, within `intervalMs`: PRAGMA data_version moves only when another connection commits, so
// the poll costs one pragma while nothing happens. On a change, jobs and library rows are compared
// with the last snapshot and the differences go out as the engine's usual events, so waiters (CLI
// runs) and every window see the same truth whoever did the work.
import type { Database } from 'better-sqlite3';
import type { Job } from '../../shared/domain';
import type { JobStore } from '../queue/store';
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
}

export interface ChangeWatch {
  start(): void;
  stop(): void;
  /** Checks now (also used by tests). */
  poll(): void;
}

export function createChangeWatch(deps: ChangeWatchDeps): ChangeWatch {
  const { db } = deps;
  let timer: ReturnType<typeof setInterval> | null = null;
  let version = -1;
  let jobs = new Map<string, string>();
  let models = new Map<string, string>();
  const versionStmt = db.prepare('PRAGMA data_version').pluck();
  const modelsStmt = db.prepare('SELECT id, name, tags_json FROM models');

  const jobSignature = (job: Job) => `${job.state}\u0000${JSON.stringify(job)}`;
  function snapshotModels(): Map<string, string> {
    const rows = modelsStmt.all() as { id: string; name: string; tags_json: string }[];
    return new Map(rows.map((r) => [r.id, `${r.name}\u0000${r.tags_json}`]));
  }

  function take(emit: boolean): void {
    const nextJobs = new Map<string, string>();
    let jobsChanged = false;
    for (const row of deps.store.list()) {
      const signature = jobSignature(toJob(row));
      nextJobs.set(row.id, signature);
      const before = jobs.get(row.id);
      if (before !== signature) {
        jobsChanged = true;
        if (emit && !deps.isOwn(row)) deps.onJob(row, before === undefined || !before.startsWith(`${row.state}\u0000`));
      }
    }
    if (nextJobs.size !== jobs.size) jobsChanged = true;
    jobs = nextJobs;
    const nextModels = snapshotModels();
    if (emit) {
      for (const [id, signature] of nextModels) {
        const before = models.get(id);
        if (before === undefined) deps.onLibrary({ kind: 'added', id });
        else if (before !== signature) deps.onLibrary({ kind: 'updated', id });
      }
      for (const id of models.keys()) if (!nextModels.has(id)) deps.onLibrary({ kind: 'removed', id });
      if (jobsChanged) deps.onQueue();
    }
    models = nextModels;
  }

  function poll(): void {
    try {
      const current = Number(versionStmt.get());
      if (current === version) return;
      version = current;
      take(true);
    } catch (error) {
      deps.onError(error);
    }
  }

  return {
    start() {
      if (timer) return;
      version = Number(versionStmt.get());
      take(false);
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
