// What the user does to jobs: cancel, retry (asks first when FAL may already have the job), remove,
// clear finished ones. Work held by a worker in this process is interrupted directly; work held by
// another process is flagged and that process's heartbeat carries the cancel out.
import { NOT_RECEIVED_CODE } from '../reconcile/messages';
import { TERMINAL_STATES, type Job } from '../../shared/domain';
import { canDownloadAgain } from '../../shared/job-retry';
import { AppError } from '../../shared/result';
import type { Scheduler } from '../queue/scheduler';
import { toJob, type JobRow, type JobStore } from '../queue/store';
import type { RetryOptions } from '../services-types';

export interface ActionDeps {
  store: JobStore;
  scheduler: Scheduler;
  now: () => number;
  cancelWaitMs: number;
  jobChanged: (row: JobRow, immediate: boolean) => void;
  queueChanged: () => void;
  /** A retry starts the job's rate-limit count afresh. */
  forgetRateLimits: (id: string) => void;
}

export interface Actions {
  cancel(id: string): Promise<Job>;
  retry(id: string, opts?: RetryOptions): Promise<Job>;
  remove(id: string): boolean;
  clearFinished(): number;
}

/** A new submit for this job may charge again: it was sent to FAL before (or may have been). */
function needsConfirmation(row: JobRow): boolean {
  // Once FAL's records showed it never received the submit (src/core/reconcile), resending is safe.
  if (row.state === 'needs_attention') return row.errorCode !== NOT_RECEIVED_CODE;
  return row.falRequestId !== null || row.submitStartedAt !== null;
}

export function createActions(deps: ActionDeps): Actions {
  const { store, scheduler, now } = deps;

  function mustGet(id: string): JobRow {
    const row = store.get(id);
    if (!row) throw new AppError('not_found', 'That job was not found. It may have been removed.');
    return row;
  }

  async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  return {
    async cancel(id) {
      const row = mustGet(id);
      if (TERMINAL_STATES.includes(row.state)) return toJob(row);
      const canceled = store.cancelQueued(id, now(), 'Canceled');
      if (canceled) {
        deps.jobChanged(canceled, true);
        return toJob(canceled);
      }
      const flagged = store.requestCancel(id);
      if (!flagged) return toJob(mustGet(id));
      deps.jobChanged(flagged, false);
      const local = scheduler.cancel(id);
      if (local) {
        await Promise.race([local, new Promise((resolve) => setTimeout(resolve, deps.cancelWaitMs))]);
      } else if (flagged.state === 'queued') {
        // Sent to FAL earlier and waiting to resume: a worker claims it right away to tell FAL.
        scheduler.wake();
        await waitUntil(() => TERMINAL_STATES.includes(mustGet(id).state), deps.cancelWaitMs);
      }
      // Otherwise another process holds it; its heartbeat sees the request.
      return toJob(mustGet(id));
    },

    async retry(id, opts = {}) {
      const row = mustGet(id);
      if (row.state !== 'failed' && row.state !== 'needs_attention') {
        throw new AppError('conflict', `Only failed jobs can be retried; this one is ${row.state.replace('_', ' ')}.`);
      }
      // FAL made (or is making) a result under a stored request id: fetching it again is free. The
      // queue UI offers Download again by the same rule.
      const canDownload = canDownloadAgain(row);
      const mode = opts.mode ?? (canDownload ? 'download' : 'generate');
      if (mode === 'download' && !canDownload) {
        throw new AppError('conflict', 'FAL has no result for this job to download again; generate it again instead.');
      }
      if (mode === 'generate' && !opts.confirm && needsConfirmation(row)) {
        throw new AppError(
          'confirmation_required',
          row.state === 'needs_attention'
            ? 'FAL may already have this job and charge for it. Retrying submits it again (it may be charged twice); confirm to go ahead.'
            : 'Generating again sends a new request to FAL, which is charged again; confirm to go ahead.',
        );
      }
      const resubmit = mode === 'generate';
      const next = store.requeue(id, now(), {
        resubmit,
        message: resubmit ? 'Queued again' : 'Queued again; will pick up the result FAL made (free)',
      });
      if (!next) throw new AppError('conflict', 'The job changed meanwhile; try again.');
      deps.forgetRateLimits(id);
      deps.jobChanged(next, true);
      scheduler.wake();
      return toJob(next);
    },

    remove(id) {
      const removed = store.remove(id);
      if (removed) deps.queueChanged();
      return removed;
    },

    clearFinished() {
      const removed = store.clearFinished().length;
      if (removed > 0) deps.queueChanged();
      return removed;
    },
  };
}
