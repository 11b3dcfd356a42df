// The queue state machine: IN_QUEUE (FIFO, account-wide concurrency) -> IN_PROGRESS (logs over
// the processing time) -> COMPLETED. Knows nothing about HTTP.
import { randomUUID } from 'node:crypto';
import type { FakeFalEvent, FakeFalEventType, FalLogEntry, JobOutcome, JobSnapshot, QueueState } from './types';

export const PROGRESS_LOGS = [
  'Initializing model',
  'Processing image',
  'Generating mesh',
  'Applying textures',
  'Optimizing geometry',
  'Finalizing output',
] as const;

export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface Job {
  requestId: string;
  seq: number;
  endpointId: string;
  appPath: string;
  input: unknown;
  outcome?: JobOutcome;
  state: QueueState;
  logs: FalLogEntry[];
  cancelled: boolean;
  forgotten: boolean;
  submittedAt: number;
  startedAt?: number;
  completedAt?: number;
  timers: NodeJS.Timeout[];
  /** Built on the first result GET, then reused so URLs stay stable. */
  result?: Promise<unknown>;
}

export interface JobBoardSettings {
  concurrency: number;
  processingMs: (job: Job) => number;
  holdJobs: boolean;
  cancelStopsRunning: boolean;
}

export type CancelAnswer = 'CANCELLATION_REQUESTED' | 'ALREADY_COMPLETED' | 'NOT_FOUND';

export class JobBoard {
  private readonly jobs = new Map<string, Job>();
  private readonly waiting: Job[] = [];
  private running = 0;
  private seq = 0;
  private readonly listeners = new Set<(event: FakeFalEvent) => void>();
  private readonly changeListeners = new Set<(job: Job) => void>();
  private closed = false;
  readonly events: FakeFalEvent[] = [];

  constructor(public settings: JobBoardSettings) {}

  submit(endpointId: string, appPath: string, input: unknown, outcome?: JobOutcome): Job {
    const job: Job = {
      requestId: randomUUID(),
      seq: ++this.seq,
      endpointId,
      appPath,
      input,
      outcome,
      state: 'IN_QUEUE',
      logs: [],
      cancelled: false,
      forgotten: outcome?.kind === 'forgotten',
      submittedAt: nowMs(),
      timers: [],
    };
    this.jobs.set(job.requestId, job);
    this.waiting.push(job);
    this.emit('submitted', job);
    // Start on the next tick so the submit answer is always IN_QUEUE, as on FAL.
    setImmediate(() => this.pump());
    return job;
  }

  /** Forgotten jobs are invisible to the API but kept for accounting. */
  find(requestId: string): Job | undefined {
    const job = this.jobs.get(requestId);
    return job && !job.forgotten ? job : undefined;
  }

  all(): Job[] {
    return [...this.jobs.values()];
  }

  queuePosition(job: Job): number | undefined {
    if (job.state !== 'IN_QUEUE') return undefined;
    const index = this.waiting.indexOf(job);
    return index < 0 ? 0 : index;
  }

  cancel(requestId: string): CancelAnswer {
    const job = this.find(requestId);
    if (!job) return 'NOT_FOUND';
    if (job.state === 'COMPLETED') return 'ALREADY_COMPLETED';
    if (job.state === 'IN_QUEUE') {
      this.waiting.splice(this.waiting.indexOf(job), 1);
      job.cancelled = true;
      this.finish(job, false);
      return 'CANCELLATION_REQUESTED';
    }
    // Running: the model gets a signal it may ignore.
    if (this.settings.cancelStopsRunning) {
      job.cancelled = true;
      this.finish(job, true);
    }
    return 'CANCELLATION_REQUESTED';
  }

  /** Finish a job now (starting it first if it is still queued), emitting its remaining logs. */
  completeNow(requestId: string): boolean {
    const job = this.jobs.get(requestId);
    if (!job || job.state === 'COMPLETED') return false;
    if (job.state === 'IN_QUEUE') {
      this.waiting.splice(this.waiting.indexOf(job), 1);
      this.start(job);
    }
    this.complete(job);
    return true;
  }

  forget(requestId: string): boolean {
    const job = this.jobs.get(requestId);
    if (!job || job.forgotten) return false;
    job.forgotten = true;
    this.emit('forgotten', job);
    return true;
  }

  onEvent(listener: (event: FakeFalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called whenever anything a status answer shows changes (state, logs, queue position). */
  onChange(listener: (job: Job) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  snapshot(job: Job): JobSnapshot {
    const failed = job.outcome?.kind === 'failedRun';
    const failedStatus = job.outcome?.kind === 'failedRun' ? (job.outcome.status ?? 500) : undefined;
    return {
      requestId: job.requestId,
      seq: job.seq,
      endpointId: job.endpointId,
      appPath: job.appPath,
      input: job.input,
      state: job.state,
      queuePosition: this.queuePosition(job),
      logs: [...job.logs],
      cancelled: job.cancelled,
      forgotten: job.forgotten,
      failed,
      billed: job.startedAt !== undefined && !(failedStatus !== undefined && failedStatus >= 500),
      submittedAt: job.submittedAt,
      startedAt: job.startedAt,
      completedAt: job.completedAt,
    };
  }

  /** Re-check the queue (e.g. after concurrency changed). */
  pump(): void {
    if (this.closed) return;
    while (this.running < this.settings.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift();
      if (job) this.start(job);
    }
  }

  close(): void {
    this.closed = true;
    for (const job of this.jobs.values()) this.clearTimers(job);
    this.listeners.clear();
    this.changeListeners.clear();
  }

  private start(job: Job): void {
    job.state = 'IN_PROGRESS';
    job.startedAt = nowMs();
    this.running++;
    this.emit('started', job);
    // Queue positions of everyone behind moved.
    for (const other of this.waiting) this.changed(other);
    const total = job.outcome?.kind === 'processingMs' ? job.outcome.ms : this.settings.processingMs(job);
    const step = total / PROGRESS_LOGS.length;
    if (job.outcome?.kind === 'logLines') job.outcome.lines.forEach((line) => this.addLog(job, line));
    PROGRESS_LOGS.forEach((message, i) => {
      if (i === 0) this.addLog(job, message);
      else job.timers.push(setTimeout(() => this.addLog(job, message), step * i));
    });
    if (!this.settings.holdJobs) job.timers.push(setTimeout(() => this.complete(job), total));
  }

  private addLog(job: Job, text: string): void {
    const message = job.outcome?.kind === 'echoText' ? `${text} ${job.outcome.text}` : text;
    if (job.state !== 'IN_PROGRESS' || job.logs.some((l) => l.message === message)) return;
    job.logs.push({ message, level: 'INFO', source: 'USER', timestamp: new Date().toISOString() });
    this.emit('log', job, message);
  }

  private complete(job: Job): void {
    if (job.state !== 'IN_PROGRESS') return;
    for (const message of PROGRESS_LOGS) this.addLog(job, message);
    this.finish(job, true);
  }

  private finish(job: Job, wasRunning: boolean): void {
    this.clearTimers(job);
    job.state = 'COMPLETED';
    job.completedAt = nowMs();
    if (wasRunning) this.running--;
    this.emit(job.cancelled ? 'cancelled' : 'completed', job);
    this.pump();
  }

  private clearTimers(job: Job): void {
    for (const timer of job.timers) clearTimeout(timer);
    job.timers = [];
  }

  private emit(type: FakeFalEventType, job: Job, message?: string): void {
    const event: FakeFalEvent = { type, requestId: job.requestId, endpointId: job.endpointId, at: nowMs(), message };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    this.changed(job);
  }

  private changed(job: Job): void {
    for (const listener of this.changeListeners) listener(job);
  }
}
