// What the intake notice says of images that joined a job already on its way (the same image with
// the same settings: the core makes no second, paid job). Without it a re-dropped photo looked
// simply "added" - and one whose earlier job needs attention seemed to vanish.
import type { Job } from '../../../../shared/domain';

export interface JoinedImage {
  input: string;
  jobId: string;
}

const baseName = (input: string) => input.split(/[\\/]/).pop() || input;

/** One sentence for the notice, or null when nothing joined. */
export function joinedNote(joined: readonly JoinedImage[], jobs: readonly Job[]): string | null {
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
