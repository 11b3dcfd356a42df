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

/** Why a new submit for this job needs the user's yes (it may be charged again, or pay twice), or null. */
function confirmationReason(store: JobStore, row: JobRow): string | null {
  const notReceived = row.state === 'needs_attention' && row.errorCode === NOT_RECEIVED_CODE;
  if (row.state === 'needs_attention' && !notReceived) return 'FAL may already have this job and charge for it. Retrying submits it again (it may be charged twice); confirm to go ahead.';
  // FAL's records show its request charged nothing (a server error, never started): not charged again.
  const charged = row.falRequestId === null ? row.submitStartedAt !== null : !store.chargedNothing(row.falRequestId);
  if (!notReceived && charged) return 'Generating again sends a new request to FAL, which is charged again; confirm to go ahead.';
  // Nothing of it was charged: never sent, FAL's records showed it never received the submit
  // (src/core/reconcile), or that its request charged nothing (spend/history-settle.ts). Sending it is safe - unless another job or a library model made, is making or
  // may be charged for the same photo and settings (dropped again, Make again anyway, --force).
  if (!store.madeAgainElsewhere(row)) return null;
  return notReceived
    ? 'FAL never received this job, but the same photo with the same settings was made again as another job: retrying sends it and pays for a second model; confirm to go ahead.'
    : 'The same photo with the same settings was made again as another job: retrying sends this one too and pays for a second model; confirm to go ahead.';
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
      const asks = mode === 'generate' && !opts.confirm;
      const reason = asks ? confirmationReason(store, row) : null;
      if (reason !== null) throw new AppError('confirmation_required', reason);
      const resubmit = mode === 'generate';
      const next = store.requeue(id, now(), {
        resubmit,
        message: resubmit ? 'Queued again' : 'Queued again; will pick up the result FAL made (free)',
        // Sent with no question because nothing was charged and nothing else made its photo: still so in the write itself.
        unlessMadeAgain: asks,
      });
      if (!next) {
        // Another process made the same photo and settings since the check: ask, as the check would now.
        const current = store.get(id);
        const asked = asks && current ? confirmationReason(store, current) : null;
        throw asked !== null ? new AppError('confirmation_required', asked) : new AppError('conflict', 'The job changed meanwhile; try again.');
      }
      deps.forgetRateLimits(id);
      deps.jobChanged(next, true);
      // Sent again: a never-received job of the same photo and settings no longer says resending is safe.
      if (resubmit) for (const twin of store.flagMadeAgain(next, now())) deps.jobChanged(twin, true);
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
