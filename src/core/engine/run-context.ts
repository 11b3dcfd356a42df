// What one job's run needs from the engine (RunnerDeps), the tuning it runs with, and the context
// its steps share.
import type { FalClient } from '@fal-ai/client';
import type { GlbValidator } from '../library/glb-validator';
import type { LibraryStore } from '../library/store';
import type { BackoffPolicy } from '../queue/backoff';
import type { JobRow, JobStore } from '../queue/store';
import type { StatsRecorder } from '../stats';
import { toAbsolutePath } from '../paths';
import { isRecord } from '../util/errors';
import type { FlushGroup } from './flush-group';
import type { JobInputStore } from './job-inputs';
import type { JobWriter } from './job-writer';
import type { GenerateRelief, Logger } from './types';

export interface RunnerPolicy {
  backoff: BackoffPolicy;
  /** Overall bound for following one request, from its submission. */
  followTimeoutMs: number;
  pollIntervalMs: number;
  streamIdleMs: number;
  useStream: boolean;
  /** Typical run time; shapes the time-based part of running progress. */
  expectedRunMs: number;
  maxDownloadBytes: number;
  downloadTimeoutMs: number;
  /** How long a failing model download is retried in all (see FalSteps.collectResult). */
  downloadRetryMs: number;
  maxPreviewBytes: number;
  /** How often a downloaded model's temp file is marked live until it is stored (files.ts keepFresh). */
  tempFileTouchMs: number;
  /** How often running progress advances by time when FAL sends nothing. */
  progressTickMs: number;
  /** How long a cancel that found FAL done tries to keep the result (as long as a cancel waits). */
  cancelKeepMs: number;
  /** See EngineTiming.newRequestGraceMs. */
  newRequestGraceMs: number;
}

/** What the engine tells the whole queue when one job learns something about FAL. */
export interface QueueSignals {
  keyRejected(message: string): void;
  /** FAL refused a job because the account's balance is used up (the key itself is fine). */
  balanceUsedUp(message: string): void;
  offline(message: string): void;
  online(): void;
  noKey(): void;
}

export interface RunnerDeps {
  store: JobStore;
  /** The job's images (several for a multi-image job). */
  inputs: JobInputStore;
  library: LibraryStore;
  dirs: { data: string; library: string; previews: string };
  now: () => number;
  random: () => number;
  /** The client for the current key and proxy; null when no key is configured. */
  fal: () => FalClient | null;
  /** FAL jobs may be sent now: a key that FAL has not rejected, online, the spending cap not reached. */
  falAllowed: (exceptJobId?: string) => boolean;
  /** Origins on this computer that results may come from over plain http (a local proxy, the fake server). */
  downloadOrigins: () => string[];
  policy: RunnerPolicy;
  generateRelief: GenerateRelief;
  /** Checks a finished model's GLB; large ones off the engine's thread (library/glb-validator.ts). */
  validateGlb: GlbValidator['validate'];
  /** Writes every job's cosmetic changes together (flush-group.ts); without it each writer flushes alone. */
  flushGroup?: FlushGroup;
  /** The writer of each job a worker of this engine holds (job-queries reads their unwritten states). */
  liveWriters: Map<string, JobWriter>;
  /** A FAL job started: get the check worker ready before its model arrives (a no-op unless enabled). */
  warmGlbCheck: () => void;
  redact: (text: string) => string;
  /** A job row changed; `immediate` for state changes (never throttled). */
  onJob: (row: JobRow, immediate: boolean) => void;
  onLibraryAdded: (modelId: string) => void;
  signals: QueueSignals;
  logger: Logger;
  /** Consecutive rate limits per job (not attempts: they cost nothing). */
  rateLimitHits: Map<string, number>;
  /** Records an ended job's FAL request in the statistics, once (stats/job-outcomes.ts). */
  recordOutcome?: (row: JobRow) => void;
  /** Request statistics (src/core/stats): 429s and submits FAL answered with an error. */
  stats?: StatsRecorder;
  /** The data folder was moved or removed since the engine opened it (data-folder.ts). */
  dataFolderGone: () => boolean;
}

/** One job's run: the engine's deps, its writer (the job's current row) and its interrupt signal. */
export interface RunContext {
  deps: RunnerDeps;
  writer: JobWriter;
  signal: AbortSignal;
  /** Waits for a generation slot, before the job occupies FAL or this computer (see queue/scheduler.ts). */
  acquireSlot: () => Promise<void>;
  /** FAL is done with the job: its generation slot may go to the next job (see queue/scheduler.ts). */
  releaseSlot: () => void;
}

/** The job's prepared input image (absolute path). */
export function inputPathOf(ctx: RunContext): string {
  return toAbsolutePath(ctx.deps.dirs.data, ctx.writer.row.inputPath);
}

/** The job's model options (the JSON stored with it). */
export function optionsOf(ctx: RunContext): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(ctx.writer.row.optionsJson);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
