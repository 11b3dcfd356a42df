// What the intake notice says of images that joined a job instead of making one (the same image with
// the same settings: the core makes no second, paid job) - one already on its way, or one an earlier
// copy in the same drop made. Without it a re-dropped photo looked simply "added", one whose earlier
// job needs attention seemed to vanish, and a photo given twice in one drop hid the job it made.
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

function earlierNote(joined: readonly JoinedImage[], jobs: readonly Job[]): string | null {
  if (joined.length === 0) return null;
  const stateOf = (jobId: string) => jobs.find((job) => job.id === jobId)?.state;
  const waiting = joined.filter((entry) => stateOf(entry.jobId) === 'needs_attention');
  if (joined.length === 1) {
    const name = baseName(joined[0]!.input);
    return waiting.length === 1
      ? `${name} joined its earlier job, which needs your attention: FAL may already have it, so it was not sent again. See that job in the queue.`
      : `${name} is already on its way with these settings, so it joined that job: nothing new is charged.`;
  }
  const some = `${waiting.length} of their jobs ${waiting.length === 1 ? 'needs' : 'need'}`;
  const attention = waiting.length > 0 ? ` ${waiting.length === joined.length ? 'Their jobs need' : some} your attention in the queue.` : '';
  return `${joined.length} images are already on their way with these settings, so they joined those jobs: nothing new is charged.${attention}`;
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
