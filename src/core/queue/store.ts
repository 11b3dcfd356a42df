// The job table, in SQL only: one object for callers, the work done by one module per job -
// reads (store-reads), adding jobs (store-add), a user's actions (store-actions), claims and
// leases (store-leases) and a worker's fenced writes (store-fenced). Every method is synchronous:
// better-sqlite3 transactions never span an await. A worker's writes are conditioned on its fencing token (`fence`), so a
// worker whose lease was taken over changes nothing; state changes follow the transition table.
import type { Database } from 'better-sqlite3';
import type { JobState } from '../../shared/domain';
import { statementCache } from '../db/statements';
import { createWalSync } from '../db/wal-sync';
import type { EventKind, JobEvent, JobPatch, JobRow, NewJob } from './rows';
import * as add from './store-add';
import * as actions from './store-actions';
import type { RequeueOptions } from './store-actions';
import { appendEvent, type StoreContext } from './store-context';
import * as fenced from './store-fenced';
import type { JobStep } from './store-fenced';
import * as late from './store-late-submit';
import * as leases from './store-leases';
import * as reads from './store-reads';

export { LEASE_CLEARED, toJob, type EventKind, type JobEvent, type JobPatch, type JobRow, type NewJob } from './rows';
export type { AddOutcome, JobToAdd } from './store-add';
export type { ModelChange, RequeueOptions } from './store-actions';
export type { ClaimOptions } from './store-leases';
export type { FencedUpdate, JobStep } from './store-fenced';

export class JobStore {
  private readonly ctx: StoreContext;

  /**
   * `redact` cleans every text that is stored (messages, error messages, journal lines): outside text
   * (FAL's answers, error messages) may echo the key, and what is stored is later shown and emitted.
   */
  constructor(
    readonly db: Database,
    redact: (text: string) => string = (text) => text,
    /** `fsyncWal`: the fsync of the WAL's descriptor (tests: a disk that fails); `slowSyncMs`: when a running one is reported slow (onSlowSync). */
    disk: { fsyncWal?: (fd: number, path: string) => Promise<void>; slowSyncMs?: number } = {},
  ) {
    this.ctx = { db, stmt: statementCache(db), redact, walSync: createWalSync(db, disk.fsyncWal, disk.slowSyncMs) };
  }

  /**
   * Resolves once every commit made so far is on disk (power-cut safe). Awaited after arming the
   * submit intent, before the job may be sent; the fsync runs off this thread (db/wal-sync.ts).
   */
  syncToDisk(): Promise<void> {
    return this.ctx.walSync?.sync() ?? Promise.resolve();
  }

  /**
   * The disk's failed fsync, kept until a restart (db/wal-sync.ts): every later syncToDisk fails with
   * it, so no job may be sent to FAL meanwhile. Null while the disk has not failed.
   */
  diskFailure(): Error | null {
    return this.ctx.walSync?.failure() ?? null;
  }

  /** `listener` is called once, when the disk first fails an fsync. */
  onDiskFailure(listener: (failure: Error) => void): void {
    this.ctx.walSync?.onFailure(listener);
  }

  /** `listener(true)` once a sync has waited for the disk unusually long (db/wal-sync.ts), `listener(false)` when it ends. */
  onSlowSync(listener: (slow: boolean) => void): void {
    this.ctx.walSync?.onSlow(listener);
  }

  /** Closes what the store keeps open besides the database (the WAL's descriptor): call it just before db.close(). */
  close(): void {
    this.ctx.walSync?.close();
  }

  // ---- reads (store-reads) ---------------------------------------------------------------------

  get(id: string): JobRow | null {
    return reads.getJob(this.ctx, id);
  }

  list(): JobRow[] {
    return reads.listJobs(this.ctx);
  }

  counts(): ReturnType<typeof reads.countJobs> {
    return reads.countJobs(this.ctx);
  }

  /** Earliest future time something becomes claimable: a back-off ends or a lease expires. */
  nextWakeAt(now: number): number | null {
    return reads.nextWakeAt(this.ctx, now);
  }

  events(jobId: string): JobEvent[] {
    return reads.jobEvents(this.ctx, jobId);
  }

  /** Unfinished jobs of the same photo (prepared bytes or original file) with the same parameters (for duplicate checks). */
  activeSiblings(key: reads.TwinKey): JobRow[] {
    return reads.activeSiblings(this.ctx, key);
  }

  /** Another job or a library model for the same input and parameters made, is making or may be charged for that model. */
  madeAgainElsewhere(job: JobRow): boolean {
    return reads.madeAgainElsewhere(this.ctx, job);
  }

  /** FAL's records show this request charged nothing (store-reads chargedNothing). */
  chargedNothing(requestId: string): boolean {
    return reads.chargedNothing(this.ctx, requestId);
  }

  /** FAL jobs claimed and not sent yet: their estimates and how many. */
  pendingFal(exceptJobId: string | null = null): { usd: number; jobs: number } {
    return reads.pendingFal(this.ctx, exceptJobId);
  }

  /** Sends FAL may have charged that are not settled yet (store-reads POSSIBLE_CHARGES_SQL), sent between two times. */
  possibleCharges(from: number, to: number): { usd: number; jobs: number } {
    return reads.possibleCharges(this.ctx, from, to);
  }

  /** Spend recorded at submission between two times (epoch ms), in USD. */
  spendBetween(from: number, to: number): number {
    return reads.spendBetween(this.ctx, from, to);
  }

  /** A journal line; call inside the caller's transaction. */
  appendEvent(jobId: string, kind: EventKind, from: JobState | null, to: JobState | null, message: string | null, at: number): void {
    appendEvent(this.ctx, jobId, kind, from, to, message, at);
  }

  // ---- claims and leases (store-leases) --------------------------------------------------------

  claimNext(opts: leases.ClaimOptions): JobRow | null {
    return leases.claimNext(this.ctx, opts);
  }

  heartbeat(id: string, fence: number, now: number, leaseMs: number): { held: boolean; cancelRequested: boolean } {
    return leases.heartbeat(this.ctx, id, fence, now, leaseMs);
  }

  /** See store-leases.ts releaseUnsent. */
  releaseUnsent(owner: string, now: number, message: string): JobRow[] {
    return leases.releaseUnsent(this.ctx, owner, now, message);
  }

  recoverOrphans(now: number, ownerIsDead: (owner: string) => boolean, ambiguousMessage: string): JobRow[] {
    return leases.recoverOrphans(this.ctx, now, ownerIsDead, ambiguousMessage);
  }

  // ---- a worker's fenced writes (store-fenced) -------------------------------------------------

  /** `steps`: earlier changes written first, in the same transaction (store-fenced.ts JobStep). */
  update(id: string, fence: number, patch: JobPatch, at: number, note?: string | null, logs: readonly string[] = [], steps: readonly JobStep[] = []): JobRow | null {
    return fenced.updateFenced(this.ctx, id, fence, patch, at, note, logs, steps);
  }

  /** Several jobs' fenced writes in one transaction; each entry the row, null (fenced off) or its own error. */
  updateMany(updates: readonly fenced.FencedUpdate[]): (JobRow | null | Error)[] {
    return fenced.updateManyFenced(this.ctx, updates);
  }

  log(id: string, fence: number, message: string, at: number, kind: EventKind = 'log'): boolean {
    return fenced.logFenced(this.ctx, id, fence, message, at, kind);
  }

  recordSubmission(id: string, fence: number, requestId: string, queuePosition: number | null, progress: number, at: number): JobRow | null {
    return fenced.recordSubmission(this.ctx, id, fence, requestId, queuePosition, progress, at);
  }

  /** FAL's answer after the worker lost the job (store-late-submit.ts): stored only while the job still waits on that send. */
  recordLateSubmission(id: string, submission: late.LateSubmission): JobRow | null {
    return late.recordLateSubmission(this.ctx, id, submission);
  }

  commitWith(
    id: string,
    fence: number,
    patch: JobPatch,
    at: number,
    note: string | null,
    before: () => void,
    pending?: { steps?: readonly JobStep[]; logs?: readonly string[] },
    after?: (row: JobRow) => void,
  ): JobRow | null {
    return fenced.commitWith(this.ctx, id, fence, patch, at, note, before, pending, after);
  }

  // ---- adding jobs and a user's actions, no lease needed (store-add, store-actions) ------------

  insertMany(jobs: readonly NewJob[], alsoFor?: (job: NewJob) => void): JobRow[] {
    return add.insertMany(this.ctx, jobs, alsoFor);
  }

  /** Adds jobs or joins each to its twin on its way, check and insert in one transaction (store-add.ts). */
  addOrJoin(jobs: readonly add.JobToAdd[], alsoFor?: (job: NewJob) => void, inputGone?: add.InputGone): add.AddOutcome[] {
    return add.addOrJoin(this.ctx, jobs, alsoFor, inputGone);
  }

  /** Joins each job to its twin on its way, inserting none (null: no twin; store-add.ts). */
  joinOnly(jobs: readonly add.JobToAdd[], inputGone?: add.InputGone): (add.AddOutcome | null)[] {
    return add.joinOnly(this.ctx, jobs, inputGone);
  }

  /** Never-received jobs of `made`'s photo and settings stop saying a resend is safe (store-actions.ts); the ones changed. */
  flagMadeAgain(made: JobRow, at: number): JobRow[] {
    return actions.flagMadeAgain(this.ctx, made, at);
  }

  cancelQueued(id: string, at: number, message: string): JobRow | null {
    return actions.cancelQueued(this.ctx, id, at, message);
  }

  switchModel(id: string, change: actions.ModelChange, at: number, note: string): JobRow | null {
    return actions.switchModel(this.ctx, id, change, at, note);
  }

  /** Prices the jobs not sent yet again (store-actions.ts); the ones whose estimate changed. */
  reestimateUnsent(estimate: (row: JobRow) => number | null): JobRow[] {
    return actions.reestimateUnsent(this.ctx, estimate);
  }

  requestCancel(id: string): JobRow | null {
    return actions.requestCancel(this.ctx, id);
  }

  requeue(id: string, at: number, opts: RequeueOptions): JobRow | null {
    return actions.requeue(this.ctx, id, at, opts);
  }

  remove(id: string): boolean {
    return actions.removeFinished(this.ctx, id);
  }

  clearFinished(): string[] {
    return actions.clearFinished(this.ctx);
  }
}
