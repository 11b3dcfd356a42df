// One job's writes to the database, batched: state changes and anything that must be durable are
// written at once (fenced by the lease); cosmetic changes (progress, message, queue position,
// journal lines) and the state changes that only report FAL's progress (running, finished: softState)
// are shown at once through the job event and written with the next write or within FLUSH_MS.
// SQLite commits per job are the engine's own main cost, so they are kept few.
import type { JobState } from '../../shared/domain';
import type { FencedUpdate, JobPatch, JobRow, JobStep } from '../queue/store';
import { RefusedStepError } from '../queue/transitions';
import { errorMessage } from '../util/errors';
import { FlushBackoff } from './flush-backoff';
import { FlushGroup, type FlushMember } from './flush-group';
import type { RunnerDeps } from './run-context';
import { LeaseLostError } from './run-errors';

export type CosmeticPatch = Pick<JobPatch, 'progress' | 'message' | 'queuePosition'>;

export class JobWriter implements FlushMember {
  /** The job as this worker last wrote or showed it. */
  row: JobRow;
  /** A write found the job taken over: write nothing more. */
  lost = false;
  private pending: JobPatch = {};
  private pendingLogs: string[] = [];
  /** softState changes not written yet, in order. */
  private pendingSteps: JobStep[] = [];
  /** The engine's shared flush (run-context flushGroup), else one of this writer's own. */
  private readonly flushes: FlushGroup;
  /** Flushes failing in a row are tried again later and later (flush-backoff.ts). */
  private readonly backoff = new FlushBackoff();
  /** Refused steps (from->to) already reported: a bug is said once per job, not at every write. */
  private readonly refusalsSaid = new Set<string>();

  constructor(
    private readonly deps: Pick<RunnerDeps, 'store' | 'redact' | 'now' | 'onJob' | 'logger' | 'recordOutcome' | 'flushGroup'>,
    row: JobRow,
  ) {
    this.row = row;
    this.flushes = deps.flushGroup ?? new FlushGroup(deps);
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
    const { pending, pendingLogs: logs } = this;
    let steps = this.pendingSteps;
    this.clearPending();
    let next: JobRow | null;
    for (;;) {
      try {
        next = this.deps.store.update(this.row.id, this.row.fence, clean, this.deps.now(), note ?? null, logs, steps);
        break;
      } catch (error) {
        const without = this.withoutRefused(steps, error);
        if (without) {
          steps = without;
          continue;
        }
        // Not written (a busy or failing database, or `patch` itself refused): the steps stay for the
        // next write, since the state the database keeps may not skip them (submitted -> succeeded is
        // refused); journal lines and what was pending before this write too (`patch` is the caller's,
        // told by the error).
        this.keepUnwritten({ patch: pending, steps, logs });
        if (this.hasPending()) this.scheduleFlush();
        throw error;
      }
    }
    this.backoff.succeeded();
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
    this.show(patch, false);
    this.scheduleFlush();
  }

  /** A change worth keeping that nothing shows (FAL's answer): written with the next write or flush. */
  keep(patch: Pick<JobPatch, 'resultOutputJson'>): void {
    if (this.lost) return;
    Object.assign(this.pending, patch);
    this.scheduleFlush();
  }

  /**
   * A state change that only reports FAL's progress (nothing is lost if a crash drops it: the job
   * resumes from its stored request id): shown at once as a state change, written - and journaled
   * with its own time - in the transaction of the next write, or within FLUSH_MS. Saves a commit per
   * step; a short FAL job's running and finished steps ride on the library commit.
   */
  softState(patch: JobPatch & { state: JobState }): void {
    if (this.lost) return;
    // What was pending before this step is written before it, so the journal keeps its order.
    this.pendingSteps.push({ patch: { ...this.pending, ...patch }, at: this.deps.now(), note: null, logs: this.pendingLogs });
    this.pending = {};
    this.pendingLogs = [];
    this.show(patch, true);
    this.scheduleFlush();
  }

  /**
   * `stored` (this job as the database has it) with what this writer has shown but not written yet
   * (softState), so this process reads what its own events said. Fields the user changes (a cancel
   * request...) come from the database; a row no longer ours is returned as it is.
   */
  overlay(stored: JobRow): JobRow {
    if (this.pendingSteps.length === 0 || stored.fence !== this.row.fence) return stored;
    const { state, progress, message, queuePosition } = this.row;
    return { ...stored, state, progress: Math.max(stored.progress, progress), message, queuePosition };
  }

  private show(patch: JobPatch, immediate: boolean): void {
    const row: JobRow = { ...this.row, ...patch };
    if (patch.message !== undefined && patch.message !== null) row.message = this.deps.redact(patch.message);
    this.row = row;
    this.deps.onJob(row, immediate);
  }

  /**
   * The job's last write: its pending changes, `before` (inserting the library row), `patch` and the
   * request's statistics in one transaction (store.commitWith). Null when the job was taken over; throws what the store throws
   * (pending changes then stay, for the write that records the failure).
   */
  commit(patch: JobPatch, note: string | null, at: number, before: () => void): JobRow | null {
    const { recordOutcome } = this.deps;
    let steps = this.pendingSteps;
    let next: JobRow | null;
    for (;;) {
      try {
        next = this.deps.store.commitWith(this.row.id, this.row.fence, patch, at, note, before, { steps, logs: this.pendingLogs }, recordOutcome);
        break;
      } catch (error) {
        const without = this.withoutRefused(steps, error);
        if (!without) throw error;
        // The whole transaction was rolled back (`before` too): it runs again without the step.
        steps = without;
        this.pendingSteps = without;
      }
    }
    // Written (superseded cosmetics go too: the patch sets its own progress and message).
    this.clearPending();
    this.backoff.succeeded();
    if (next) this.changed(next, true);
    else this.lost = true;
    return next;
  }

  private scheduleFlush(): void {
    // While a failing flush waits for its retry, what comes meanwhile goes with that retry.
    if (!this.backoff.waiting) this.flushes.schedule(this);
  }

  /** FlushMember: what is pending, for the group's transaction (tryWrite({}) as a batch entry). */
  takeFlush(): FencedUpdate | null {
    if (this.lost || !this.hasPending()) return null;
    const update: FencedUpdate = { id: this.row.id, fence: this.row.fence, patch: this.pending, at: this.deps.now(), logs: this.pendingLogs, steps: this.pendingSteps };
    this.pending = {};
    this.pendingLogs = [];
    this.pendingSteps = [];
    return update;
  }

  /**
   * FlushMember: as tryWrite's outcome. A failed flush keeps all it took (steps, journal lines, the
   * cosmetic patch and FAL's kept answer) for a later one, tried again after a growing wait and
   * reported once per streak of failures - but for a refused step's state (withoutRefused).
   */
  flushed(update: FencedUpdate, outcome: JobRow | null | Error): void {
    const without = this.withoutRefused(update.steps, outcome);
    if (without) {
      // Not a failing database: the rest goes with the next flush, at the usual pace.
      this.keepUnwritten({ ...update, steps: without });
      this.scheduleFlush();
      return;
    }
    if (outcome instanceof Error) {
      this.keepUnwritten(update);
      if (this.backoff.failed(() => this.flushes.schedule(this))) {
        this.deps.logger.warn(`job ${this.row.id}: could not save progress; trying again, less often while it fails`, this.deps.redact(errorMessage(outcome)));
      }
      return;
    }
    this.backoff.succeeded();
    if (outcome) this.changed(outcome, outcome.state !== this.row.state);
    else this.lost = true;
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

  /** Before a write that sets its own message: keep pending journal lines and steps, drop superseded cosmetics. */
  settlePending(): void {
    if ((this.pendingLogs.length > 0 || this.pendingSteps.length > 0) && !this.lost) this.tryWrite({});
    else this.clearPending();
  }

  /** At the end of a run: whatever is still pending (the job ended or was released without a final write). */
  finish(): void {
    try {
      if (!this.lost && this.hasPending()) this.tryWrite({});
    } finally {
      this.clearPending(); // the run is over: no flush after it
    }
  }

  /**
   * `steps` without the one `error` says the transition table refused, or null when `error` is not
   * that. Only a bug makes one (the database holds a state this run did not expect). Tried again it
   * is refused again, and kept it would make every later write of the job fail with it - its next
   * real state change too, leaving the job stuck in an active state. So the step's state is left
   * out, the rest of it (progress, message, journal lines) kept, and it is said once as an error: the
   * job goes on from the state the database holds. A later state change that state does not allow
   * is refused by itself and ends the job through the run's failure handling (job-run.ts).
   */
  private withoutRefused(steps: readonly JobStep[], error: unknown): JobStep[] | null {
    if (!(error instanceof RefusedStepError)) return null;
    const refused = steps[error.step];
    if (refused?.patch.state !== error.to) return null;
    const said = `${error.from}->${error.to}`;
    if (!this.refusalsSaid.has(said)) {
      this.refusalsSaid.add(said);
      this.deps.logger.error(`job ${this.row.id}: its step from ${error.from} to ${error.to} was refused (a bug); the step is left out and the job goes on from ${error.from}`);
    }
    const { state: _left, ...rest } = refused.patch;
    return steps.map((step, i) => (i === error.step ? { ...step, patch: rest } : step));
  }

  /**
   * Puts back what a failed write took, before anything queued since: a field changed since (a newer
   * message, answer kept) supersedes the one not written; progress only moves forward.
   */
  private keepUnwritten(unwritten: Pick<FencedUpdate, 'patch' | 'steps' | 'logs'>): void {
    const { patch, steps, logs } = unwritten;
    this.pendingSteps = [...steps, ...this.pendingSteps];
    this.pendingLogs = [...logs, ...this.pendingLogs];
    const kept: JobPatch = { ...patch, ...this.pending };
    if (patch.progress !== undefined && this.pending.progress !== undefined) kept.progress = Math.max(patch.progress, this.pending.progress);
    this.pending = kept;
  }

  private hasPending(): boolean {
    return Object.keys(this.pending).length > 0 || this.pendingLogs.length > 0 || this.pendingSteps.length > 0;
  }

  private clearPending(): void {
    this.pending = {};
    this.pendingLogs = [];
    this.pendingSteps = [];
    this.flushes.cancel(this);
    this.backoff.stop();
  }
}
