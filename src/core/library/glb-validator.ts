// Checks a finished model (validateGlb) without freezing the engine's thread - in the app that is
// Electron's main process, whose event loop also serves the window. The Khronos validator blocks its
// thread for the whole check (~200 ms for a 6 MB model here, more for real Tripo models), so large
// files go to a worker thread (a plain model's data check is ours, glb-data-checks.ts, ~4x quicker
// at 230 KB than the figures below, which are the validator's alone); small ones are checked
// in-thread, where they take less than starting a worker would (see WORKER_MIN_BYTES) - unless the
// worker was warmed (warm(): the app does so after launch with a key and when a FAL job starts, as
// FAL's models are large) and the engine is busy (`busy`: other jobs are running): then a small model
// goes to the warm worker too, so the thread stays free for the other jobs (alone, a small check in
// place is ~1.5 ms quicker than the hand-off). A worker that fails never loses a model: the check
// then runs in-thread.
import { readFile } from 'node:fs/promises';
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
  /**
   * The model. Those of a large model that also lives in `tempFile` are moved to the worker, not
   * copied (left empty here): a 500 MB model is not held twice while it is checked.
   */
  bytes: Uint8Array;
  /** The file the bytes also live in (a downloaded temp file, completely written), if any. */
  tempFile?: { path: string };
}

/** From this size a model that also lives in a file is moved to the worker (see GlbSource.bytes). */
export const MOVE_MIN_BYTES = 16 * 1024 * 1024;

/** validateGlb's result, and the thread that computed it. */
export type CheckedGlb = GlbValidationResult & { threadId: number };

export interface GlbValidator {
  validate(source: GlbSource): Promise<CheckedGlb>;
  /**
   * Starts the worker and runs a first check in it, in the background; once that has answered, files of
   * every size go to the worker while it lives (small ones while `busy`). Idempotent; a failure only
   * leaves checks as before. Resolves once that first check has answered or failed; never rejects.
   */
  warm(): Promise<void>;
  /** Stops the worker; later checks run in-thread. */
  close(): Promise<void>;
}

export interface GlbValidatorOptions {
  warn: (message: string) => void;
  /** Smallest file checked in the worker (default WORKER_MIN_BYTES; Infinity: never). */
  workerMinBytes?: number;
  /** Starts the worker (tests give a failing one). */
  start?: () => Worker;
  /** Whether other work competes for the thread now (small models then go to a warm worker). */
  busy?: () => boolean;
  /** Smallest file moved rather than copied to the worker (default MOVE_MIN_BYTES). */
  moveMinBytes?: number;
}

/** The smallest GLB (a header and `{"asset":{"version":"2.0"}}`): the warm-up check loads the validator's code. */
const WARM_UP_GLB = (() => {
  const json = Buffer.from('{"asset":{"version":"2.0"}} ', 'utf8'); // padded to a multiple of 4
  const glb = Buffer.alloc(12 + 8 + json.length);
  glb.write('glTF', 0, 'latin1');
  glb.writeUInt32LE(2, 4);
  glb.writeUInt32LE(glb.length, 8);
  glb.writeUInt32LE(json.length, 12);
  glb.writeUInt32LE(0x4e4f534a, 16); // "JSON"
  json.copy(glb, 20);
  return new Uint8Array(glb);
})();

export function startGlbWorker(): Worker {
  return startWorker({ bundle: 'glb-worker', source: './glb-worker.ts', from: import.meta.url, label: 'The GLB check worker' });
}

export function createGlbValidator(opts: GlbValidatorOptions): GlbValidator {
  const minBytes = opts.workerMinBytes ?? WORKER_MIN_BYTES;
  const moveMinBytes = opts.moveMinBytes ?? MOVE_MIN_BYTES;
  // One worker: checks are short and jobs seldom finish together; each worker holds its own validator.
  const pool = createThreadPool({ size: 1, idleMs: 120_000, start: opts.start ?? startGlbWorker });
  let closed = false;
  /** The worker has answered a check; false again once it is gone (idle timeout, crash). */
  let warmed = false;
  let warming: Promise<void> | null = null;
  const workerWarm = () => warmed && pool.liveWorkers() > 0;

  const inThread = async (bytes: Uint8Array): Promise<CheckedGlb> => ({ ...(await validateGlb(bytes)), threadId });

  function inWorker({ bytes, tempFile }: GlbSource): Promise<CheckedGlb> {
    // A copy is moved: the caller keeps its bytes (ingest may have to store them again, when another
    // job removed the same file before this one's commit) - unless the model is large and also in its
    // temp file: then the bytes themselves go (a failed check reads the file back).
    const own = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : null;
    const sent = tempFile && own && bytes.byteLength >= moveMinBytes ? new Uint8Array(own) : bytes.slice();
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
      const small = source.bytes.byteLength < minBytes;
      if (closed || (small && !(workerWarm() && (opts.busy?.() ?? true)))) return inThread(source.bytes);
      try {
        return await inWorker(source);
      } catch (error) {
        opts.warn(`The GLB check worker failed (${errorMessage(error)}); checking the model on the engine's thread instead`);
        // Bytes moved to the worker are gone from here: the model is read back from its file.
        const moved = source.bytes.byteLength === 0 && source.tempFile !== undefined;
        return inThread(moved ? new Uint8Array(await readFile(source.tempFile!.path)) : source.bytes);
      }
    },
    warm() {
      if (warming) return warming;
      if (closed || workerWarm() || minBytes === Infinity) return Promise.resolve();
      warming = inWorker({ bytes: WARM_UP_GLB })
        .then(
          () => void (warmed = true),
          // Ended by close() (the app quitting, a CLI run done) while it loaded: no failure to report.
          (error: unknown) => {
            if (!closed) opts.warn(`The GLB check worker did not start (${errorMessage(error)}); models are checked as before`);
          },
        )
        .finally(() => (warming = null));
      return warming;
    },
    async close() {
      closed = true;
      await pool.close();
    },
  };
}
