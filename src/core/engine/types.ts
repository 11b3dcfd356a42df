// The engine's public types: its dependencies, tuning, events and the Engine interface itself.
import type { Worker } from 'node:worker_threads';
import type { Db } from '../db/open';
import type { Job, Preset, QueueState } from '../../shared/domain';
import type { ModelDefinition } from '../models/types';
import type { InputLimits } from '../images';
import type { BackoffPolicy } from '../queue/backoff';
import type { EngineApi } from '../services-types';
import type { JoinedOutput, OutputClaim } from '../queue/output-copy';
import { TEMP_FILE_TOUCH_MS } from '../library/files';
import { SLOW_SYNC_MS } from '../db/wal-sync';

export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export const QUIET_LOGGER: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export type GenerateRelief = (
  image: string,
  opts: Record<string, unknown> & { onProgress?: (fraction: number, message: string) => void },
) => Promise<{ glb: Uint8Array; triangles: number; vertices: number }>;

export interface EngineTiming {
  /** Lease length; a worker heartbeats every `heartbeatMs` while it holds a job. */
  leaseMs: number;
  heartbeatMs: number;
  /** Longest sleep of the claim loop (work added by another process, expired leases). */
  schedulerPollMs: number;
  /** Status polling interval once the status stream failed. */
  statusPollMs: number;
  streamIdleMs: number;
  /** Overall bound for following one FAL request (default 30 min). */
  followTimeoutMs: number;
  /** Bound for each FAL API call and the upload. */
  requestTimeoutMs: number;
  downloadTimeoutMs: number;
  /** How often an offline queue checks whether FAL is reachable again. */
  probeIntervalMs: number;
  /** Per-job event rate limit (100 ms = at most 10 a second). */
  throttleMs: number;
  expectedRunMs: number;
  progressTickMs: number;
  /** How long cancel() waits for the worker to finish the cancel. */
  cancelWaitMs: number;
  /** Temp files younger than this survive the start-up clean-up (another process may own them). */
  tempFileMinAgeMs: number;
  /** How often a temp file in use (a download) is marked live; well under every sharing process's tempFileMinAgeMs. */
  tempFileTouchMs: number;
  /** Unreferenced library/preview files younger than this survive the sweep after start (another
   *  process may be between storing one and committing its row; storing renews the file's time). */
  orphanFileMinAgeMs: number;
  /** How often changes made by other processes are looked for (see change-watch.ts). */
  changePollMs: number;
  /** How long a failing model download is retried (then the result fetched again) before the job fails. */
  downloadRetryMs: number;
  /** For this long after its submit, a status 404 for the request is asked again, not taken as FAL forgetting it. */
  newRequestGraceMs: number;
  /** A sync to disk waiting this long is shown in the queue's state (disk_slow) until it ends. */
  slowSyncMs: number;
  /** The background warm-up (EngineDeps.warmUp) starts this long after start(): not while the app's window loads. */
  warmUpDelayMs: number;
}

export const DEFAULT_TIMING: EngineTiming = Object.freeze({
  leaseMs: 30_000,
  heartbeatMs: 10_000,
  schedulerPollMs: 1_000,
  statusPollMs: 500,
  streamIdleMs: 15_000,
  followTimeoutMs: 30 * 60_000,
  requestTimeoutMs: 60_000,
  downloadTimeoutMs: 5 * 60_000,
  probeIntervalMs: 5_000,
  throttleMs: 100,
  expectedRunMs: 60_000,
  progressTickMs: 1_000,
  cancelWaitMs: 15_000,
  tempFileMinAgeMs: 60_000,
  tempFileTouchMs: TEMP_FILE_TOUCH_MS,
  orphanFileMinAgeMs: 60 * 60_000,
  changePollMs: 250,
  downloadRetryMs: 2 * 60_000,
  newRequestGraceMs: 60_000,
  slowSyncMs: SLOW_SYNC_MS,
  warmUpDelayMs: 1_500,
});

export interface EngineDeps {
  dataDir: string;
  /**
   * The data folder's database, already open (openDatabase with checkpointsInBackground), when the rest
   * of the process uses it too (createAppCore); the engine closes it on close(). Default: its own.
   */
  db?: Db;
  getFalKey: () => string | null;
  /** The app's other FAL keys (the billing key): kept out of everything the engine logs, stores or emits too. */
  getOtherKeys?: () => readonly (string | null)[];
  falProxyUrl?: string | null;
  concurrency?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  now?: () => number;
  logger?: Logger;
  /** FAL's network (the client, queue checks); result downloads make their own checked connections. */
  fetch?: typeof fetch;
  /** Tuning knobs; tests shorten them. */
  timing?: Partial<EngineTiming>;
  /** Largest model download accepted (default 500 MiB). */
  maxDownloadBytes?: number;
  /** How photos are checked and prepared; a function is read at each add (the app's settings, changed without a restart). */
  inputLimits?: InputLimits | (() => InputLimits);
  /** Monthly spending cap in USD; FAL jobs wait once it is reached. */
  getSpendingCapUsd?: () => number | null;
  /** Money spent in [from, to) as the cap counts it (default: the estimates recorded at submission);
   *  src/core/spend gives FAL's real charges where known. */
  spendBetween?: (from: number, to: number) => number;
  /** Price estimate for a new job (default: the catalog's built-in price); src/core/pricing uses FAL's prices. */
  estimateCostUsd?: (model: ModelDefinition, preset: Preset, options: Record<string, unknown>) => number;
  /** Use the status stream (default true); polling is always the fallback. */
  useStatusStream?: boolean;
  random?: () => number;
  generateRelief?: GenerateRelief;
  /** Where finished models are checked: files from `minBytes` on (default 512 KiB; Infinity: none) in a
   *  worker thread that `start` starts (tests give a failing one). `warmForFal`: the warm-up after start (with a key),
   *  adding a FAL job and running one warm the worker while FAL works, and a warm worker checks every size (the app; default off, as the CLI's
   *  short runs need no thread). See library/glb-validator.ts. */
  glbWorker?: { minBytes?: number; start?: () => Worker; warmForFal?: boolean };
  /**
   * Run in the background after start() (the app: loading the image tools, images/warm-up.ts), so the
   * first photos dropped after launch do not wait for it. A failure is logged. A stop before it is due
   * skips it; one while it runs waits for it (this part only: the GLB check worker's warm-up that
   * follows, glbWorker.warmForFal, is not waited for - close() ends that thread).
   */
  warmUp?: () => Promise<void>;
  /** The fsync of the WAL's descriptor that makes jobs and armed submits power-cut safe (db/wal-sync.ts); tests give a failing disk. */
  fsyncWal?: (fd: number, path: string) => Promise<void>;
}

export interface EngineEvents {
  job: (job: Job) => void;
  queue: (state: QueueState) => void;
  library: (change: { kind: 'added' | 'removed' | 'updated'; id: string }) => void;
  /** The export presets file changed (saved or deleted by another process, or this one). */
  presets: (nothing: undefined) => void;
}

export interface Engine extends EngineApi {
  /** Cleans temp files, recovers jobs of a crashed run, starts claiming. */
  start(): Promise<void>;
  /**
   * Resolves when the background warm-up of the last start (EngineDeps.warmUp) has ended; never rejects.
   * A stop ends it early: the GLB check worker it started may still be loading then (close() ends it).
   */
  whenWarm(): Promise<void>;
  /** Stops claiming, interrupts in-flight waits and releases leases; never cancels on FAL. */
  stop(): Promise<void>;
  /**
   * The machine is shutting down (the process may not live to finish stop()): gives back at once,
   * synchronously, the jobs that are armed but not sent to FAL, so the next boot does not take them
   * for "may have been sent". Returns how many. Also stops the engine (as stop(): claims end at once;
   * await stop() to know the rest is done).
   */
  releaseUnsentNow(): number;
  /** Jobs this engine sent to FAL whose answer (the request id) has not come: stop() waits for it, up to requestTimeoutMs. */
  sendingNow(): Job[];
  /**
   * Gives up at once, without FAL's answer (a second Ctrl-C while stop() waits for it): stops claiming
   * and takes this engine's jobs back now, as recovery would after its process died - a job whose
   * submit may have reached FAL needs attention (FAL's records settle it later), any other goes back
   * to the queue; their workers can write nothing more. Returns the jobs set aside as needing
   * attention. The caller is expected to exit.
   */
  abandonNow(): Job[];
  /** stop() and close the database and the worker threads; a second call gets the first one's promise. */
  close(): Promise<void>;
  /** Resolves when no job is queued or active. */
  waitForIdle(): Promise<void>;
  /** The job's journal (transitions, FAL log lines), oldest first. */
  jobEvents(id: string): { at: number; kind: string; fromState: string | null; toState: string | null; message: string | null }[];
  /** Where the job's finished model is also written (stored with the job: the CLI's --out), or null. */
  jobOutputDir(id: string): string | null;
  /** Claims writing the job's model to `file` (see queue/output-copy.ts; `replacing`: this run's earlier claim, whose name was taken); null: unknown job. */
  claimOutputFile(id: string, file: string, replacing?: string): OutputClaim | null;
  /** The files asked for from the job by images that joined it (another name, another --out). */
  joinedOutputs(id: string): JoinedOutput[];
  /** Claims writing one of joinedOutputs(id) to `file` (as claimOutputFile); null: no such output. */
  claimJoinedOutput(id: string, output: Pick<JoinedOutput, 'dir' | 'name'>, file: string, replacing?: string): OutputClaim | null;
  /** Takes back a claim this run made and did not fill (it gave up): the job counts as unwritten again (queue/output-copy.ts). */
  releaseOutputFile(id: string, file: string): void;
  /** The same for one of joinedOutputs(id). */
  releaseJoinedOutput(id: string, output: Pick<JoinedOutput, 'dir' | 'name'>, file: string): void;
  /** Succeeded jobs with an output folder (their own or a joined image's) whose model nobody wrote there yet (see queue/output-copy.ts). */
  unwrittenOutputs(): string[];
  readonly dataDir: string;
}
