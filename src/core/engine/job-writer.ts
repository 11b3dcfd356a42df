// One job's writes to the database, batched: state changes and anything that must be durable are
// written at once (fenced by the lease); cosmetic changes (progress, message, queue position,
// journal lines) are shown at once through the job event and written with the next write or within
// FLUSH_MS. SQLite commits per job are the engine's own main cost, so they are kept few.
import type { JobPatch, JobRow } from '../queue/store';
import { errorMessage } from '../util/errors';
import type { RunnerDeps } from './run-context';
import { LeaseLostError } from './run-errors';

/** Longest time a cosmetic change waits to be written. */
const FLUSH_MS = 250;

export type CosmeticPatch = Pick<JobPatch, 'progress' | 'message' | 'queuePosition'>;

export class JobWriter {
  /** The job as this worker last wrote or showed it. */
  row: JobRow;
  /** A write found the job taken over: write nothing more. */
  lost = false;
  private pending: JobPatch = {};
  private pendingLogs: string[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly deps: Pick<RunnerDeps, 'store' | 'redact' | 'now' | 'onJob' | 'logger'>,
    row: JobRow,
  ) {
    this.row = row;
  }

  /**
   * Fenced write of everything pending plus `patch`, in one transaction; throws LeaseLostError when
   * another worker holds the job now. For what must be durable at once: states, the upload URL, the
   * submit intent, errors.
   */
  write(patch: JobPatch, note?: string): JobRow {
    const next = this.tryWrite(patch, note);
    if (!next) throw new LeaseLostError();
    return next;
  }

  /** write() that returns null instead of throwing when the job was taken over. */
  tryWrite(patch: JobPatch, note?: string): JobRow | null {
    // Texts are redacted by the store as they are written.
    const clean: JobPatch = { ...this.pending, ...patch };
    if (this.pending.progress !== undefined && patch.progress !== undefined) clean.progress = Math.max(this.pending.progress, patch.progress);
    const logs = this.pendingLogs;
    this.clearPending();
    const next = this.deps.store.update(this.row.id, this.row.fence, clean, this.deps.now(), note ?? null, logs);
    if (next) this.changed(next, next.state !== this.row.state);
    else this.lost = true;
    return next;
  }

  /** A cosmetic change (see the file comment), with an optional journal line. */
  soft(patch: CosmeticPatch, logLine?: string): void {
    if (this.lost) return;
    if (patch.progress !== undefined) patch = { ...patch, progress: Math.max(this.row.progress, this.pending.progress ?? 0, patch.progress) };
    Object.assign(this.pending, patch);
    if (logLine) this.pendingLogs.push(logLine);
    const row: JobRow = { ...this.row, ...patch };
    if (patch.message !== undefined && patch.message !== null) row.message = this.deps.redact(patch.message);
    this.row = row;
    this.deps.onJob(row, false);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      try {
        this.tryWrite({});
      } catch (error) {
        this.deps.logger.warn(`job ${this.row.id}: could not save progress`, this.deps.redact(errorMessage(error)));
      }
    }, FLUSH_MS);
  }

  /** A journal line, written with the next flush. */
  log(message: string): void {
    this.soft({}, message);
  }

  /** A row written elsewhere (a store call of its own) is now the job's state. */
  changed(next: JobRow, immediate = next.state !== this.row.state): void {
    this.row = next;
    this.deps.onJob(next, immediate);
  }

  /** Before a write that sets its own message: keep pending journal lines, drop superseded cosmetics. */
  settlePending(): void {
    if (this.pendingLogs.length > 0 && !this.lost) this.tryWrite({});
    else this.clearPending();
  }

  /** At the end of a run: whatever is still pending (the job ended or was released without a final write). */
  finish(): void {
    if (!this.lost && (Object.keys(this.pending).length > 0 || this.pendingLogs.length > 0)) this.tryWrite({});
    this.clearPending();
  }

  private clearPending(): void {
    this.pending = {};
    this.pendingLogs = [];
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }
}
