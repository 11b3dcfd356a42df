// Tells the user about jobs outside the window: taskbar/dock progress with the number of running jobs,
// and a notification when jobs finish or fail (several finishing together make one notification).
// No electron import: it works over the Platform interface and is tested with the headless one.
import { ACTIVE_STATES, TERMINAL_STATES, type Job, type JobState } from '../shared/domain';
import type { Platform } from '../core/platform';
import type { EngineApi } from '../core/services-types';

export interface JobFeedbackDeps {
  engine: Pick<EngineApi, 'on' | 'listJobs'>;
  platform: Pick<Platform, 'notify' | 'setProgress'>;
  /** The user's "notifications" setting, read each time. */
  notificationsEnabled: () => boolean;
  /** Clicking a "model ready" notification: focus the window and show that model. */
  openModel: (modelId: string) => void;
  /** Clicking any other notification: focus the window. */
  focusWindow: () => void;
  /** Strips secrets from text shown by the OS. */
  redact?: (text: string) => string;
  /** Finishes within this window share one notification (default 1500 ms). */
  coalesceMs?: number;
}

const isTerminal = (state: JobState) => TERMINAL_STATES.includes(state);
const isActive = (state: JobState) => ACTIVE_STATES.includes(state);

export interface Finished {
  job: Job;
  outcome: 'succeeded' | 'failed';
}

/** The notification for a batch of finished jobs; `modelId` is what a click opens (single success). */
export function describeFinished(batch: readonly Finished[]): { title: string; body: string; modelId: string | null } {
  const ok = batch.filter((f) => f.outcome === 'succeeded');
  const bad = batch.filter((f) => f.outcome === 'failed');
  if (batch.length === 1 && ok.length === 1) {
    const { job } = ok[0]!;
    return { title: 'Model ready', body: `${job.inputName} is ready to view.`, modelId: job.modelId };
  }
  if (batch.length === 1 && bad.length === 1) {
    const { job } = bad[0]!;
    return { title: 'Model failed', body: `${job.inputName}: ${job.errorMessage ?? 'the job failed.'}`, modelId: null };
  }
  const parts = [
    ok.length ? `${ok.length} model${ok.length === 1 ? '' : 's'} ready` : '',
    bad.length ? `${bad.length} failed` : '',
  ].filter(Boolean);
  return { title: 'Jobs finished', body: `${parts.join(', ')}.`, modelId: null };
}

export function watchJobs(deps: JobFeedbackDeps): () => void {
  const redact = deps.redact ?? ((text: string) => text);
  const coalesceMs = deps.coalesceMs ?? 1500;
  const known = new Map<string, { state: JobState; progress: number }>();
  let pending: Finished[] = [];
  let timer: NodeJS.Timeout | null = null;
  let lastProgress: string | null = null;

  const updateProgress = () => {
    const open = [...known.values()].filter((j) => !isTerminal(j.state));
    const running = open.filter((j) => isActive(j.state)).length;
    const fraction = open.length === 0 ? null : open.reduce((sum, j) => sum + j.progress, 0) / (open.length * 100);
    const signature = `${fraction === null ? 'none' : fraction.toFixed(2)}|${running}`;
    if (signature === lastProgress) return;
    lastProgress = signature;
    deps.platform.setProgress(fraction, running);
  };

  const flush = () => {
    timer = null;
    const batch = pending;
    pending = [];
    if (batch.length === 0 || !deps.notificationsEnabled()) return;
    const { title, body, modelId } = describeFinished(batch);
    deps.platform.notify(redact(title), redact(body), () => (modelId ? deps.openModel(modelId) : deps.focusWindow()));
  };

  const onJob = (job: Job) => {
    const before = known.get(job.id);
    known.set(job.id, { state: job.state, progress: job.progress });
    const finishedNow = (job.state === 'succeeded' || job.state === 'failed') && (!before || !isTerminal(before.state));
    if (finishedNow) {
      pending.push({ job, outcome: job.state as 'succeeded' | 'failed' });
      if (!timer) timer = setTimeout(flush, coalesceMs);
    }
    if (isTerminal(job.state)) {
      // Keep only the terminal marker so a repeated event does not notify twice.
      known.set(job.id, { state: job.state, progress: 100 });
    }
    updateProgress();
  };

  // Jobs left from the last session count for progress; finished ones must never notify again.
  for (const job of deps.engine.listJobs()) known.set(job.id, { state: job.state, progress: job.progress });
  updateProgress();
  const off = deps.engine.on('job', onJob);
  return () => {
    off();
    if (timer) clearTimeout(timer);
    timer = null;
    pending = [];
  };
}
