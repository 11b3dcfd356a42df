// The claim loop: keeps up to `concurrency` jobs generating at once, claiming jobs atomically (oldest
// first), heartbeating their leases, and waking up when a back-off ends, a lease expires or (poll)
// another process added work. Each worker gets an AbortSignal whose reason says why it must stop.
// `concurrency` counts generation slots - what FAL's concurrency limit counts (requests IN_PROGRESS).
// A job's stretch outside a slot runs alongside the generating ones: before it (preparing and
// uploading its image, then waiting for a slot: acquireSlot, first come first served) and after it
// (FAL has finished: releaseSlot, then fetching and storing the model). So a freed slot goes to a job
// that is ready to be sent at once. At most `concurrency` jobs are in each of those stretches.
// What a worker is handed (its row, signals, slot calls): worker-context.ts.
import type { JobRow, JobStore } from './store';
import { WorkerInterrupt, type WorkerContext } from './worker-context';

export interface SchedulerOptions {
  store: JobStore;
  owner: string;
  now: () => number;
  leaseMs: number;
  heartbeatMs: number;
  /** Longest sleep between claim attempts (picks up other processes' work and expired leases). */
  pollMs: number;
  concurrency: number;
  /** Whether FAL jobs may be claimed right now (key present, not rejected, online). */
  falAllowed: () => boolean;
  /** Whether FAL jobs it already has (a stored request id: nothing more to pay) may be claimed while falAllowed is not (the spending cap). */
  falReachable?: () => boolean;
  /** Whether FAL jobs whose model link is kept with them may be claimed while falAllowed is not (no key: the link needs none). */
  linksReachable?: () => boolean;
  /** Runs periodically to take back jobs whose worker vanished. */
  recover: () => void;
  run: (ctx: WorkerContext) => Promise<void>;
  onWorkerError: (error: unknown, row: JobRow | null) => void;
  /** After a claim or a worker's end (counts changed). */
  onChange?: () => void;
}

interface Worker {
  row: JobRow;
  controller: AbortController;
  /** Behind WorkerContext.stopSignal. */
  stopper: AbortController;
  done: Promise<void>;
  /** Where the job is: before its slot (preparing, waiting for one), holding it, or after it. */
  phase: 'before' | 'slot' | 'after';
}

interface SlotWaiter {
  worker: Worker;
  resolve: () => void;
  reject: (reason: unknown) => void;
}

export class Scheduler {
  private readonly workers = new Map<string, Worker>();
  /** Workers holding a generation slot. */
  private slotsInUse = 0;
  /** Workers waiting for a slot, first come first served. */
  private readonly slotQueue: SlotWaiter[] = [];
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private concurrency: number;
  private lastRecover = -Infinity;
  private wakePending = false;
  /** The last claim found the queue empty while there was room for another job. */
  private starved = false;

  constructor(private readonly opts: SchedulerOptions) {
    this.concurrency = clampConcurrency(opts.concurrency);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.pump();
  }

  /** Stops claiming, interrupts every worker (reason 'stop') and waits for them to wind down. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = [...this.workers.values()];
    for (const worker of pending) {
      worker.controller.abort(new WorkerInterrupt('stop'));
      worker.stopper.abort(new WorkerInterrupt('stop'));
    }
    await Promise.all(pending.map((worker) => worker.done));
  }

  /** Something changed (jobs added, key fixed, back online): claim now. */
  wake(): void {
    if (this.running) queueMicrotask(() => this.pump());
  }

  /**
   * wake(), once the jobs just given a slot have sent their submits: a claim (a commit) and the new
   * job's first steps run in this tick's microtasks otherwise, ahead of the submit they wait for.
   */
  private wakeAfterHandOff(): void {
    if (!this.running || this.wakePending) return;
    this.wakePending = true;
    setImmediate(() => {
      this.wakePending = false;
      this.pump();
    });
  }

  setConcurrency(n: number): void {
    this.concurrency = clampConcurrency(n);
    this.grantSlots();
    this.wake();
  }

  get activeCount(): number {
    return this.workers.size;
  }

  /**
   * Whether a job added now would be claimed at once: the last claim found no job while there was room
   * for one (intake then queues a photo as soon as it is ready, not at its next pause between inserts).
   */
  get wantsJobs(): boolean {
    return this.running && this.starved;
  }

  holds(jobId: string): boolean {
    return this.workers.has(jobId);
  }

  /** Interrupts the local worker holding `jobId` for a cancel; resolves when it has finished. */
  cancel(jobId: string): Promise<void> | null {
    const worker = this.workers.get(jobId);
    if (!worker) return null;
    if (!worker.controller.signal.aborted) worker.controller.abort(new WorkerInterrupt('cancel'));
    return worker.done;
  }

  private pump(): void {
    if (!this.running) return;
    const { store, now } = this.opts;
    if (now() - this.lastRecover >= this.opts.pollMs) {
      this.lastRecover = now();
      try {
        this.opts.recover();
      } catch (error) {
        this.opts.onWorkerError(error, null);
      }
    }
    let claimed = false;
    // Jobs before their slot (preparing, or ready and waiting), and a bound on all workers: those
    // plus the generating ones plus the ones finishing (download, check, storage). Finishing jobs
    // wait for the disk and the CPU; they get twice the room of the others, or a pile of them would
    // keep the next jobs from being prepared and a freed slot would find none ready (queue bench:
    // up to 250 ms with the bound at 3x).
    const hasRoom = () => this.count('before') < this.concurrency && this.workers.size < 4 * this.concurrency;
    while (hasRoom()) {
      let row: JobRow | null;
      try {
        row = store.claimNext({
          owner: this.opts.owner,
          now: now(),
          leaseMs: this.opts.leaseMs,
          falAllowed: this.opts.falAllowed(),
          followAllowed: this.opts.falReachable?.(),
          keptAllowed: this.opts.linksReachable?.(),
        });
      } catch (error) {
        // SQLITE_BUSY beyond busy_timeout, disk trouble...: try again on the next tick.
        this.opts.onWorkerError(error, null);
        break;
      }
      if (!row) break;
      claimed = true;
      this.launch(row);
    }
    // Not while FAL jobs are held (no key, the spending cap, offline): a job added now would wait too.
    this.starved = hasRoom() && this.opts.falAllowed();
    if (claimed) this.opts.onChange?.();
    this.schedule(!hasRoom());
  }

  private count(phase: Worker['phase']): number {
    let n = 0;
    for (const worker of this.workers.values()) if (worker.phase === phase) n++;
    return n;
  }

  /** Hands free slots to waiting workers, oldest first. */
  private grantSlots(): void {
    let granted = false;
    while (this.slotsInUse < this.concurrency && this.slotQueue.length > 0) {
      const waiter = this.slotQueue.shift()!;
      this.slotsInUse++;
      waiter.worker.phase = 'slot';
      waiter.resolve();
      granted = true;
    }
    // A job moved into its slot: room for the next one to prepare now, not at the next poll.
    if (granted) this.wakeAfterHandOff();
  }

  private acquireSlot(worker: Worker): Promise<void> {
    if (worker.phase !== 'before') return Promise.resolve();
    const { signal } = worker.controller;
    if (signal.aborted) return Promise.reject(signal.reason as unknown);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = this.slotQueue.indexOf(waiter);
        if (at >= 0) this.slotQueue.splice(at, 1);
        reject(signal.reason as unknown);
      };
      const waiter: SlotWaiter = {
        worker,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.slotQueue.push(waiter);
      this.grantSlots();
    });
  }

  private releaseSlot(worker: Worker): void {
    if (worker.phase === 'slot') {
      this.slotsInUse--;
      this.grantSlots();
    }
    worker.phase = 'after';
    this.wakeAfterHandOff(); // room for the next job before its slot
  }

  /** `full`: no room for another job - a worker moving on wakes the loop, so no back-off end needs looking up. */
  private schedule(full: boolean): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const now = this.opts.now();
    const next = full ? null : this.opts.store.nextWakeAt(now);
    const delay = Math.max(5, Math.min(this.opts.pollMs, next === null ? Infinity : next - now + 1));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, delay);
  }

  private launch(row: JobRow): void {
    const controller = new AbortController();
    const stopper = new AbortController();
    const { store, now, leaseMs } = this.opts;
    // Beats until the worker returns, also while it carries out a cancel or releases the job.
    const heartbeat = setInterval(() => {
      let beat: { held: boolean; cancelRequested: boolean };
      try {
        beat = store.heartbeat(row.id, row.fence, now(), leaseMs);
      } catch {
        return; // busy database: the next beat tries again, the lease has slack
      }
      if (!beat.held) stopper.abort(new WorkerInterrupt('lease_lost'));
      if (controller.signal.aborted) return;
      if (!beat.held) controller.abort(new WorkerInterrupt('lease_lost'));
      else if (beat.cancelRequested) controller.abort(new WorkerInterrupt('cancel'));
    }, this.opts.heartbeatMs);
    const worker: Worker = { row, controller, stopper, done: Promise.resolve(), phase: 'before' };
    this.workers.set(row.id, worker);
    worker.done = (async () => {
      try {
        await this.opts.run({
          row,
          signal: controller.signal,
          acquireSlot: () => this.acquireSlot(worker),
          releaseSlot: () => this.releaseSlot(worker),
          stopSignal: stopper.signal,
        });
      } catch (error) {
        this.opts.onWorkerError(error, row);
      } finally {
        clearInterval(heartbeat);
        const waiting = this.slotQueue.findIndex((waiter) => waiter.worker === worker);
        if (waiting >= 0) this.slotQueue.splice(waiting, 1);
        if (worker.phase === 'slot') {
          this.slotsInUse--;
          this.grantSlots();
        }
        worker.phase = 'after';
        // The same job may have been claimed again meanwhile (this worker's lease was lost): that
        // newer worker stays.
        if (this.workers.get(row.id) === worker) this.workers.delete(row.id);
        this.opts.onChange?.();
        if (this.running) this.pump();
      }
    })();
  }
}

function clampConcurrency(n: number): number {
  return Number.isFinite(n) ? Math.min(32, Math.max(1, Math.floor(n))) : 2;
}
