// Plain words for job states, used by the queue rows and their screen-reader labels.
import type { Job, JobState } from '../../../../shared/domain';
import type { JobCost } from '../../lib/cost-text';
import { ordinal } from '../../lib/format';

export const STATE_LABEL: Record<JobState, string> = {
  queued: 'Waiting',
  preparing: 'Preparing',
  submitted: 'Sent to FAL',
  running: 'Generating',
  downloading: 'Downloading',
  succeeded: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
  needs_attention: 'Needs attention',
};

export type Tone = 'active' | 'success' | 'warning' | 'danger' | 'neutral';

export function stateTone(state: JobState): Tone {
  switch (state) {
    case 'succeeded':
      return 'success';
    case 'failed':
      return 'danger';
    case 'needs_attention':
      return 'warning';
    case 'canceled':
    case 'queued':
      return 'neutral';
    default:
      return 'active';
  }
}

export const isActive = (state: JobState) => ['preparing', 'submitted', 'running', 'downloading'].includes(state);
export const isWaiting = (state: JobState) => state === 'queued';
export const isFinished = (state: JobState) => ['succeeded', 'failed', 'canceled', 'needs_attention'].includes(state);

/**
 * The line under the progress bar: what is happening right now, in plain words. `waitPlace` is a
 * queued job's place ("2nd in line", or what it waits for: see wait-place.ts).
 */
export function jobDetail(job: Job, waitPlace: string | null): string {
  switch (job.state) {
    case 'queued': {
      const place = waitPlace ?? 'Waiting to start';
      // What it waits for, and why ("Waiting for a FAL key: the model's kept link did not work..."): more than the place says.
      if (job.message?.startsWith(`${place}: `)) return job.message;
      // The app puts input warnings ("the image is small") here; its plain waiting note adds nothing.
      const note = job.message && !/^waiting/i.test(job.message) ? job.message : null;
      return note ? `${place} · ${note}` : place;
    }
    case 'preparing':
      return job.message ?? 'Checking and uploading the image';
    case 'submitted':
      // FAL's queue_position counts from 0 (IN_QUEUE, next to start): 0 is 1st in its queue, not "starting".
      if (job.queuePosition !== null) return `${ordinal(job.queuePosition + 1)} in FAL’s queue`;
      return job.message ?? 'Waiting for FAL to start';
    case 'running':
      return job.message ?? (job.queuePosition !== null ? `${ordinal(job.queuePosition + 1)} in FAL’s queue` : 'Generating the model');
    case 'downloading':
      return job.message ?? 'Saving the model to your library';
    case 'succeeded':
      return 'Saved to your library';
    case 'canceled':
      return 'Stopped before it finished. To make it, add the photo again.';
    case 'failed':
    case 'needs_attention':
      return job.errorMessage ?? job.message ?? 'Something went wrong';
  }
}

/**
 * The retry button's tip. "FAL did not charge the first" only on FAL's own records of $0 (billing
 * events, request history): not on 'no_charge', the spend read's guess from a missing billing event,
 * on which the engine still asks to confirm being charged again (queue/store-reads chargedNothing).
 */
export function retryTitle(job: Pick<Job, 'falRequestId'>, realCost: JobCost | undefined): string {
  if (!job.falRequestId) return 'Retry';
  const chargedNothing = realCost?.usd === 0 && realCost.source !== 'no_charge' && !realCost.refundedUsd;
  return chargedNothing ? 'Generate again (FAL did not charge the first)' : 'Generate again (charged again)';
}
