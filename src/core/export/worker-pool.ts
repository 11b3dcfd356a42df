// Runs export recipes in worker threads so no step (simplify, texture encode, 3MF) stalls the
// process's event loop - in the app that loop is the window's IPC. A few warm workers are reused
// (the codecs load once); cancel terminates the worker in hand (see workers/thread-pool.ts).
import type { Worker } from 'node:worker_threads';
import { createThreadPool } from '../workers/thread-pool';
import { startWorker } from '../workers/start-worker';
import { LowLevelError } from '../util/low-level-error';
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

/** A worker on the export entry (out/main/export-worker.js when built, worker.ts from source). */
export function startExportWorker(): Worker {
  return startWorker({ bundle: 'export-worker', source: './worker.ts', from: import.meta.url, label: 'The export worker' });
}

export function createWorkerPool(opts: { size?: number; idleMs?: number; start?: () => Worker } = {}): RecipeRunner {
  const pool = createThreadPool({ size: opts.size ?? 2, idleMs: opts.idleMs ?? 120_000, start: opts.start ?? startExportWorker });
  return {
    run(source, recipe, stem, { signal, onStep } = {}) {
      const request: WorkerRequest = { type: 'run', source, recipe, stem };
      return pool.run<ExportResult & { threadId: number }>({
        request,
        signal,
        read(raw) {
          const parsed = WorkerMessageSchema.safeParse(raw);
          if (!parsed.success) throw new Error('The export worker sent an unreadable answer.');
          const message = parsed.data;
          if (message.type === 'step') {
            onStep?.(message.step);
            return { kind: 'pending' };
          }
          if (message.type === 'failed') return { kind: 'failed', error: message.lowLevel ? new LowLevelError(message.message) : new Error(message.message) };
          return { kind: 'done', value: { files: message.files, plan: message.plan, preview: message.preview, threadId: message.threadId } };
        },
        stopped: (cause) =>
          new Error(
            'error' in cause
              ? `The export stopped unexpectedly: ${cause.error.message}`
              : `The export stopped unexpectedly (worker exit code ${cause.exitCode}).`,
          ),
        canceled: () => new ExportCanceledError(),
      });
    },
    warm: pool.warm,
    close: pool.close,
  };
}

let shared: RecipeRunner | null = null;

/** One pool per process: two workers at most (a plan and a batch may overlap). */
export function sharedWorkerPool(): RecipeRunner {
  shared ??= createWorkerPool();
  return shared;
}
