// Runs export recipes in worker threads so no step (simplify, texture encode, 3MF) stalls the
// process's event loop - in the app that loop is the window's IPC. A few warm workers are reused
// (the codecs load once); cancel terminates the worker in hand.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExportRecipe } from '../../shared/export-recipe';
import type { ExportResult } from './pipeline';
import { WorkerMessageSchema, type ExportStep, type WorkerRequest } from './worker-protocol';

export interface RecipeRunner {
  run(
    source: Uint8Array,
    recipe: ExportRecipe,
    stem: string,
    opts?: { signal?: AbortSignal; onStep?: (step: ExportStep) => void },
  ): Promise<ExportResult & { threadId: number }>;
  /** Starts a worker ahead of the first export (loading the codecs takes seconds on a busy machine). */
  warm(): void;
  /** Stops every worker (running exports fail as canceled). */
  close(): Promise<void>;
}

export class ExportCanceledError extends Error {
  override readonly name = 'ExportCanceledError';
  constructor() {
    super('Export canceled.');
  }
}

/**
 * The built app has the entry bundled next to main (out/main/export-worker.js, see
 * electron.vite.config.ts); from source (CLI, tests, web bridge) worker-from-source.mjs registers tsx first.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    for (const candidate of ['./export-worker.js', '../export-worker.js']) {
      const url = new URL(candidate, here);
      if (existsSync(fileURLToPath(url))) return new Worker(url);
    }
    throw new Error('The export worker is missing from this build.');
  }
  return new Worker(new URL('./worker-from-source.mjs', here));
}

interface Slot {
  worker: Worker;
  busy: boolean;
  idleTimer: NodeJS.Timeout | null;
}

export function createWorkerPool(opts: { size?: number; idleMs?: number; start?: () => Worker } = {}): RecipeRunner {
  const size = opts.size ?? 2;
  const idleMs = opts.idleMs ?? 120_000;
  const start = opts.start ?? startWorker;
  const slots = new Set<Slot>();
  const waiting: ((slot: Slot) => void)[] = [];

  const discard = (slot: Slot) => {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slots.delete(slot);
    void slot.worker.terminate();
    // A waiting export may now start a worker of its own.
    const next = waiting.shift();
    if (next) next(claim(spawn()));
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: start(), busy: false, idleTimer: null };
    slots.add(slot);
    // An error with no export in hand must not crash the process; the worker then exits and is forgotten.
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
    if (next) return next(claim(slot));
    // Idle workers never keep the process (the CLI) alive, and go away after a while.
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => discard(slot), idleMs);
    slot.idleTimer.unref();
  };

  const acquire = (): Promise<Slot> => {
    const idle = [...slots].find((s) => !s.busy);
    if (idle) return Promise.resolve(claim(idle));
    if (slots.size < size) return Promise.resolve(claim(spawn()));
    return new Promise((resolve) => waiting.push(resolve));
  };

  return {
    async run(source, recipe, stem, { signal, onStep } = {}) {
      if (signal?.aborted) throw new ExportCanceledError();
      const slot = await acquire();
      if (signal?.aborted) {
        release(slot);
        throw new ExportCanceledError();
      }
      const { worker } = slot;
      return new Promise((resolve, reject) => {
        const finish = (healthy: boolean) => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          signal?.removeEventListener('abort', onAbort);
          if (healthy) release(slot);
          else discard(slot);
        };
        const onMessage = (raw: unknown) => {
          const parsed = WorkerMessageSchema.safeParse(raw);
          if (!parsed.success) {
            finish(false);
            return reject(new Error('The export worker sent an unreadable answer.'));
          }
          const message = parsed.data;
          if (message.type === 'step') return onStep?.(message.step);
          finish(true);
          if (message.type === 'failed') return reject(new Error(message.message));
          resolve({ files: message.files, plan: message.plan, preview: message.preview, threadId: message.threadId });
        };
        const onError = (error: Error) => {
          finish(false);
          reject(new Error(`The export stopped unexpectedly: ${error.message}`));
        };
        const onExit = (code: number) => {
          finish(false);
          reject(new Error(`The export stopped unexpectedly (worker exit code ${code}).`));
        };
        const onAbort = () => {
          finish(false);
          reject(new ExportCanceledError());
        };
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
        signal?.addEventListener('abort', onAbort, { once: true });
        const request: WorkerRequest = { type: 'run', source, recipe, stem };
        worker.postMessage(request);
      });
    },
    warm() {
      if (slots.size === 0) release(claim(spawn()));
    },
    async close() {
      waiting.length = 0;
      await Promise.all([...slots].map((slot) => (slots.delete(slot), slot.worker.terminate())));
    },
  };
}

let shared: RecipeRunner | null = null;

/** One pool per process: two workers at most (a plan and a batch may overlap). */
export function sharedWorkerPool(): RecipeRunner {
  shared ??= createWorkerPool();
  return shared;
}
