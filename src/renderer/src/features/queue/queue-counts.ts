// The queue header's counts in plain words. Only jobs FAL (or this computer's generator) is working on
// count as generating: never more than "Jobs at the same time". A job checking and uploading its photo,
// or ready and waiting for a free slot, is preparing; one fetching its finished model is downloading
// (the words of the rows' state badges).
// (Counted together as "working", a full queue showed up to twice its "Jobs at the same time".)
import type { Job } from '../../../../shared/domain';
import { plural } from '../../lib/format';
import { isFinished } from './job-text';

export interface QueueCounts {
  generating: number;
  preparing: number;
  downloading: number;
  waiting: number;
  done: number;
  problems: number;
  canceled: number;
  /** Mean progress of the jobs not canceled, 0-100. */
  overall: number;
  /** Jobs the overall progress counts (all but canceled). */
  counted: number;
}

export function queueCounts(jobs: readonly Job[]): QueueCounts {
  const c: QueueCounts = { generating: 0, preparing: 0, downloading: 0, waiting: 0, done: 0, problems: 0, canceled: 0, overall: 0, counted: 0 };
  let progress = 0;
  for (const job of jobs) {
    switch (job.state) {
      case 'submitted':
      case 'running':
        c.generating++;
        break;
      case 'preparing':
        c.preparing++;
        break;
      case 'downloading':
        c.downloading++;
        break;
      case 'queued':
        c.waiting++;
        break;
      case 'succeeded':
        c.done++;
        break;
      case 'failed':
      case 'needs_attention':
        c.problems++;
        break;
      case 'canceled':
        c.canceled++;
        continue;
    }
    c.counted++;
    progress += isFinished(job.state) ? 100 : job.progress;
  }
  c.overall = c.counted ? progress / c.counted : 0;
  return c;
}

/** "2 generating · 2 preparing · 3 waiting · 5 done" */
export function countsText(c: QueueCounts): string {
  return (
    [
      c.generating && `${c.generating} generating`,
      c.preparing && `${c.preparing} preparing`,
      c.downloading && `${c.downloading} downloading`,
      c.waiting && `${c.waiting} waiting`,
      c.done && `${c.done} done`,
      c.problems && plural(c.problems, 'problem'),
      c.canceled && `${c.canceled} canceled`,
    ]
      .filter(Boolean)
      .join(' · ') || 'Nothing running'
  );
}

/** Jobs not finished yet (the overall progress bar shows while there are any). */
export const unfinished = (c: QueueCounts) => c.generating + c.preparing + c.downloading + c.waiting;

/**
 * The sidebar badge's words for its number, the unfinished jobs - every job not done yet, waiting
 * ones too, so a drop of ten shows 10 and counts down as models land - split as the header splits
 * them: "7 jobs not finished: 2 generating, 2 preparing, 1 downloading, 2 waiting".
 * ("7 in progress" with two of them only waiting disagreed with the header's "2 waiting".)
 */
export function unfinishedText(c: QueueCounts): string {
  const parts = [
    c.generating && `${c.generating} generating`,
    c.preparing && `${c.preparing} preparing`,
    c.downloading && `${c.downloading} downloading`,
    c.waiting && `${c.waiting} waiting`,
  ].filter(Boolean);
  const total = unfinished(c);
  return `${plural(total, 'job')} not finished${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** What the counts mean, for the header's tooltip. */
export const COUNTS_HELP =
  'Generating: at FAL or on this computer, at most “Jobs at the same time”. Preparing: checking and uploading the photo, or ready and waiting for a free slot. Downloading: saving a finished model to your library.';
