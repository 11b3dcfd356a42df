// A few warm worker threads, reused, for CPU work that must not stall the calling thread's event loop
// (in the app that loop is the window's IPC): exports, and checking large GLBs. Workers start on
// first use, idle ones never keep the process alive and go away after a while; a worker that dies or
// is stopped (cancel) is replaced by a new one for the next task.
import type { Transferable, Worker } from 'node:worker_threads';

/** What one message from the worker means to the task in hand. */
export type TaskAnswer<T> = { kind: 'pending' } | { kind: 'done'; value: T } | { kind: 'failed'; error: Error };

export interface Task<T> {
  request: unknown;
  /** Buffers moved to the worker rather than copied (the caller must not use them afterwards). */
  transfer?: readonly Transferable[];
  signal?: AbortSignal;
  /** Reads one message; throws when it cannot (the worker is then replaced, the task fails with that error). */
  read: (raw: unknown) => TaskAnswer<T>;
  /** The error for a worker that died with the task in hand. */
  stopped: (cause: { error: Error } | { exitCode: number }) => Error;
  /** The error for a task canceled through `signal`. */
  canceled: () => Error;
}

export interface ThreadPool {
  run<T>(task: Task<T>): Promise<T>;
  /** Starts a worker ahead of the first task (loading the code can take seconds on a busy machine). */
  warm(): void;
  /** Workers alive now (an idle one goes away after `idleMs`). */
  liveWorkers(): number;
  /** Stops every worker (tasks in hand fail as stopped); resolves once the threads are gone. */
  close(): Promise<void>;
}

export interface ThreadPoolOptions {
  /** Most workers at once; more tasks wait for one. */
  size: number;
  /** An idle worker goes away after this long. */
  idleMs: number;
  /** Starts one worker (may throw: the task then fails with that error). */
  start: () => Worker;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  idleTimer: NodeJS.Timeout | null;
}

interface Waiter {
  resolve: (slot: Slot) => void;
  reject: (error: unknown) => void;
}

export function createThreadPool({ size, idleMs, start }: ThreadPoolOptions): ThreadPool {
  const slots = new Set<Slot>();
  const waiting: Waiter[] = [];

  const discard = (slot: Slot) => {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slots.delete(slot);
    void slot.worker.terminate();
    // A waiting task may now start a worker of its own.
    const next = waiting.shift();
    if (!next) return;
    try {
      next.resolve(claim(spawn()));
    } catch (error) {
      next.reject(error);
    }
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: start(), busy: false, idleTimer: null };
    slots.add(slot);
    // An error with no task in hand must not crash the process; the worker then exits and is forgotten.
    slot.worker.on('error', () => {});
    slot.worker.once('exit', () => slots.has(slot) && !slot.busy && discard(slot));
    return slot;
  };

  const claim = (slot: Slot): Slot => {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.busy = true;
    slot.worker.ref();
    return slot;
  };

  const release = (slot: Slot) => {
    slot.busy = false;
    const next = waiting.shift();
    if (next) return next.resolve(claim(slot));
    // Idle workers never keep the process (the CLI) alive, and go away after a while.
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => discard(slot), idleMs);
    slot.idleTimer.unref();
  };

  const acquire = (): Promise<Slot> => {
    const idle = [...slots].find((s) => !s.busy);
    if (idle) return Promise.resolve(claim(idle));
    if (slots.size < size) return Promise.resolve(claim(spawn()));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };

  async function run<T>(task: Task<T>): Promise<T> {
    const { signal } = task;
    if (signal?.aborted) throw task.canceled();
    const slot = await acquire();
    if (signal?.aborted) {
      release(slot);
      throw task.canceled();
    }
    const { worker } = slot;
    return new Promise<T>((resolve, reject) => {
      const finish = (healthy: boolean) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (healthy) release(slot);
        else discard(slot);
      };
      const onMessage = (raw: unknown) => {
        let answer: TaskAnswer<T>;
        try {
          answer = task.read(raw);
        } catch (error) {
          finish(false);
          return reject(error);
        }
        if (answer.kind === 'pending') return;
        finish(true);
        if (answer.kind === 'failed') reject(answer.error);
        else resolve(answer.value);
      };
      const onError = (error: Error) => {
        finish(false);
        reject(task.stopped({ error }));
      };
      const onExit = (exitCode: number) => {
        finish(false);
        reject(task.stopped({ exitCode }));
      };
      const onAbort = () => {
        finish(false);
        reject(task.canceled());
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage(task.request, task.transfer);
    });
  }

  return {
    run,
    warm() {
      if (slots.size === 0) release(claim(spawn()));
    },
    liveWorkers: () => slots.size,
    async close() {
      for (const waiter of waiting.splice(0)) waiter.reject(new Error('The worker threads were stopped.'));
      await Promise.all([...slots].map((slot) => (slots.delete(slot), slot.worker.terminate())));
    },
  };
}
