// What the intake notice says of images that joined a job instead of making one (the same image with
// the same settings: the core makes no second, paid job) - one already on its way, or one an earlier
// copy in the same drop made. Without it a re-dropped photo looked simply "added", one whose earlier
// job needs attention seemed to vanish, and a photo given twice in one drop hid the job it made.
// The words follow the joined job's live state: one that finished or failed while the notice was open
// is no longer "on its way". Samples and "Make with another generator" say the same (answerNote).
import type { AddJobsResult } from '../../../../shared/contract';
import type { Job } from '../../../../shared/domain';

export interface JoinedImage {
  input: string;
  jobId: string;
  /** The job was made by this same drop, from an earlier copy of the image. */
  sameDrop: boolean;
}

export const baseName = (input: string) => input.split(/[\\/]/).pop() || input;

/** Joined images split by what they joined: a job from before, or one this drop made. */
export function splitJoined(joined: readonly JoinedImage[]): { earlier: JoinedImage[]; copies: JoinedImage[] } {
  return { earlier: joined.filter((entry) => !entry.sameDrop), copies: joined.filter((entry) => entry.sameDrop) };
}

/** The images one core answer says joined a job (`madeBefore`: jobs earlier calls of the same drop made). */
export function joinedOf(answer: Pick<AddJobsResult, 'joined'>, madeBefore: ReadonlySet<string> = new Set()): JoinedImage[] {
  return (answer.joined ?? []).map((entry) => ({ input: entry.input, jobId: entry.jobId, sameDrop: entry.sameCall === true || madeBefore.has(entry.jobId) }));
}

/** Where the joined jobs stand now: still on their way, needing attention, or ended since. */
export interface JoinedStates {
  onWay: number;
  attention: number;
  succeeded: number;
  failed: number;
  canceled: number;
}

export function joinedStates(joined: readonly JoinedImage[], jobs: readonly Job[]): JoinedStates {
  const counts: JoinedStates = { onWay: 0, attention: 0, succeeded: 0, failed: 0, canceled: 0 };
  for (const entry of joined) {
    const state = jobs.find((job) => job.id === entry.jobId)?.state;
    if (state === 'needs_attention') counts.attention++;
    else if (state === 'succeeded' || state === 'failed' || state === 'canceled') counts[state]++;
    else counts.onWay++;
  }
  return counts;
}

/** Joined jobs that ended (finished, failed or canceled) since the images joined them. */
export const endedCount = (states: JoinedStates) => states.succeeded + states.failed + states.canceled;

function earlierNote(joined: readonly JoinedImage[], jobs: readonly Job[]): string | null {
  if (joined.length === 0) return null;
  const states = joinedStates(joined, jobs);
  if (joined.length === 1) {
    const name = baseName(joined[0]!.input);
    if (states.attention === 1) return `${name} joined its earlier job, which needs your attention: FAL may already have it, so it was not sent again. See that job in the queue.`;
    if (states.succeeded === 1) return `${name} joined its earlier job with these settings, which has since finished: its model is in your library. Nothing new was charged.`;
    if (states.failed === 1) return `${name} joined its earlier job with these settings, which has since failed: nothing new was charged. See that job in the queue.`;
    if (states.canceled === 1) return `${name} joined its earlier job with these settings, which was since canceled: nothing new was charged.`;
    return `${name} is already on its way with these settings, so it joined that job: nothing new is charged.`;
  }
  const ended = endedCount(states);
  if (ended === 0) {
    const some = `${states.attention} of their jobs ${states.attention === 1 ? 'needs' : 'need'}`;
    const attention = states.attention > 0 ? ` ${states.attention === joined.length ? 'Their jobs need' : some} your attention in the queue.` : '';
    return `${joined.length} images are already on their way with these settings, so they joined those jobs: nothing new is charged.${attention}`;
  }
  const since = [
    states.succeeded > 0 ? `${states.succeeded} finished` : null,
    states.failed > 0 ? `${states.failed} failed` : null,
    states.canceled > 0 ? `${states.canceled} ${states.canceled === 1 ? 'was' : 'were'} canceled` : null,
    states.attention > 0 ? `${states.attention} ${states.attention === 1 ? 'needs' : 'need'} your attention` : null,
    states.onWay > 0 ? `${states.onWay} ${states.onWay === 1 ? 'is' : 'are'} still on ${states.onWay === 1 ? 'its' : 'their'} way` : null,
  ].filter((part): part is string => part !== null);
  const list = since.length > 1 ? `${since.slice(0, -1).join(', ')} and ${since.at(-1)!}` : since[0]!;
  return `${joined.length} images joined earlier jobs with these settings: nothing new was charged. Of those jobs, ${list}; see them in the queue.`;
}

function copiesNote(copies: readonly JoinedImage[], jobs: readonly Job[]): string | null {
  if (copies.length === 0) return null;
  if (copies.length === 1) {
    const first = jobs.find((job) => job.id === copies[0]!.jobId);
    const name = baseName(copies[0]!.input);
    const original = first ? baseName(first.inputName) : null;
    return original && original !== name
      ? `${name} is the same image as ${original}, so both share one job: it is charged once.`
      : `${name} was given twice, so both share one job: it is charged once.`;
  }
  return `${copies.length} images are copies of others in this drop, so they share those jobs: each is charged once.`;
}

/** The notice's words for the joined images, or null when nothing joined. */
export function joinedNote(joined: readonly JoinedImage[], jobs: readonly Job[]): string | null {
  const { earlier, copies } = splitJoined(joined);
  const parts = [earlierNote(earlier, jobs), copiesNote(copies, jobs)].filter((part): part is string => part !== null);
  return parts.length ? parts.join(' ') : null;
}

/**
 * What one answer with a single image did, for a toast (a sample, "Make with another generator"):
 * the joined note when the image joined a job instead of making one, else null (a new job was made).
 */
export function answerJoinedNote(answer: Pick<AddJobsResult, 'added' | 'joined'>): string | null {
  return joinedNote(joinedOf(answer), answer.added);
}
