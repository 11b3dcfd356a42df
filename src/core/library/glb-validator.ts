// Checks a finished model (validateGlb) without freezing the engine's thread - in the app that is
// Electron's main process, whose event loop also serves the window. The Khronos validator blocks its
// thread for the whole check (~200 ms for a 6 MB model here, more for real Tripo models), so large
// files go to a worker thread; small ones are checked in-thread, where they take less than starting
// a worker would (see WORKER_MIN_BYTES). A worker that fails never loses a model: the check then
// runs in-thread.
import { threadId, type Worker } from 'node:worker_threads';
import { errorMessage } from '../util/errors';
import { createThreadPool } from '../workers/thread-pool';
import { startWorker } from '../workers/start-worker';
import { validateGlb, type GlbValidationResult } from './glb';
import { GlbCheckAnswerSchema, type GlbCheckRequest } from './glb-worker-protocol';

/**
 * Files from this size on are checked in the worker. Measured on this 2-core machine, validator warm:
 * 80-330 KB models block the thread 10-45 ms, 0.5-1 MB ones 20-65 ms, 5.6 MB ~200 ms; a thread's first
 * check ~120 ms more. A worker needs ~0.8 s (built) before its first answer and its own ~30 MB, so smaller
 * files - the offline generator's, the tests' - are checked in-thread: they stall it a few frames at most.
 */
export const WORKER_MIN_BYTES = 512 * 1024;

export interface GlbSource {
  bytes: Uint8Array;
  /** The file the bytes also live in (a downloaded temp file), if any. The bytes stay usable. */
  tempFile?: { path: string };
}

/** validateGlb's result, and the thread that computed it. */
export type CheckedGlb = GlbValidationResult & { threadId: number };

export interface GlbValidator {
  validate(source: GlbSource): Promise<CheckedGlb>;
  /** Stops the worker; later checks run in-thread. */
  close(): Promise<void>;
}

export interface GlbValidatorOptions {
  warn: (message: string) => void;
  /** Smallest file checked in the worker (default WORKER_MIN_BYTES; Infinity: never). */
  workerMinBytes?: number;
  /** Starts the worker (tests give a failing one). */
  start?: () => Worker;
}

export function startGlbWorker(): Worker {
  return startWorker({ bundle: 'glb-worker', source: './glb-worker.ts', from: import.meta.url, label: 'The GLB check worker' });
}

export function createGlbValidator(opts: GlbValidatorOptions): GlbValidator {
  const minBytes = opts.workerMinBytes ?? WORKER_MIN_BYTES;
  // One worker: checks are short and jobs seldom finish together; each worker holds its own validator.
  const pool = createThreadPool({ size: 1, idleMs: 120_000, start: opts.start ?? startGlbWorker });
  let closed = false;

  const inThread = async (bytes: Uint8Array): Promise<CheckedGlb> => ({ ...(await validateGlb(bytes)), threadId });

  function inWorker({ bytes }: GlbSource): Promise<CheckedGlb> {
    // A copy is moved: the caller keeps its bytes (ingest may have to store them again, when another
    // job removed the same file before this one's commit).
    const sent = bytes.slice();
    const request: GlbCheckRequest = { type: 'validate', bytes: sent };
    return pool.run<CheckedGlb>({
      request,
      transfer: [sent.buffer],
      read(raw) {
        const parsed = GlbCheckAnswerSchema.safeParse(raw);
        if (!parsed.success) throw new Error('it sent an unreadable answer');
        const answer = parsed.data;
        if (answer.type === 'failed') return { kind: 'failed', error: new Error(answer.message) };
        return { kind: 'done', value: { ...answer.result, threadId: answer.threadId } };
      },
      stopped: (cause) => new Error('error' in cause ? `it stopped: ${cause.error.message}` : `it exited with code ${cause.exitCode}`),
      canceled: () => new Error('canceled'),
    });
  }

  return {
    async validate(source) {
      if (closed || source.bytes.byteLength < minBytes) return inThread(source.bytes);
      try {
        return await inWorker(source);
      } catch (error) {
        opts.warn(`The GLB check worker failed (${errorMessage(error)}); checking the model on the engine's thread instead`);
        return inThread(source.bytes);
      }
    },
    async close() {
      closed = true;
      await pool.close();
    },
  };
}
