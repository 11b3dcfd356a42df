// The reconciler's settings (and their defaults), what it needs, what a pass reports, and its API:
// the shapes reconciler.ts and past-sends.ts share, apart from the logic.
import type { PlatformClient } from '../fal/platform-client';
import type { JobRow, JobStore } from '../queue/store';
import type { WaitReason } from './messages';

export interface ReconcileConfig {
  /** How long after the send a missing request counts as never received (FAL's listing delay is unconfirmed). */
  settleMs: number;
  /** Resubmit by itself once FAL has no record after the settle time (off by default). */
  autoResubmit: boolean;
  /** First wait between checks; doubles per check up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** The history window reaches this far around the send time (clock differences). */
  windowMarginMs: number;
}

export const DEFAULT_RECONCILE_CONFIG: ReconcileConfig = Object.freeze({
  settleMs: 10 * 60_000,
  autoResubmit: false,
  retryBaseMs: 15_000,
  retryMaxMs: 30 * 60_000,
  windowMarginMs: 5 * 60_000,
});

export interface ReconcilerDeps {
  jobs: JobStore;
  now: () => number;
  /** A client for the current key and proxy; null without a key. */
  platform: () => PlatformClient | null;
  config: () => ReconcileConfig;
  /** The exact input JSON a job's submit sent (default: rebuilt from the job, which is deterministic). */
  sentInput?: (job: JobRow) => unknown;
  onJob: (row: JobRow) => void;
  /** A job went back to the queue. */
  wake: () => void;
  logger: { info(message: string): void; warn(message: string): void };
}

export interface ReconcileReport {
  checked: number;
  adopted: { jobId: string; requestId: string }[];
  absent: { jobId: string; checkedAt: number }[];
  resubmitted: string[];
  waiting: { jobId: string; reason: WaitReason; nextCheckAt: number }[];
  /**
   * Earlier sends of jobs sent again or removed (job_past_sends) that FAL's records settled: found
   * (counted as spend once, not followed) or absent (never charged).
   */
  pastFound: { jobId: string; sentAt: number; requestId: string; usd: number | null; message: string }[];
  pastAbsent: { jobId: string; sentAt: number; message: string }[];
}

export interface Reconciler {
  /** Checks the uncertain jobs that are due (all of them with `force`). Runs one pass at a time. */
  runOnce(opts?: { force?: boolean }): Promise<ReconcileReport>;
  /** Checks by itself every `pollMs` (jobs are only asked about when due). */
  start(pollMs?: number): void;
  /** Stops the timer and waits for a pass in flight. */
  stop(): Promise<void>;
}

export const emptyReport = (): ReconcileReport => ({ checked: 0, adopted: [], absent: [], resubmitted: [], waiting: [], pastFound: [], pastAbsent: [] });
