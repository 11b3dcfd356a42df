// The cosmetic writes of every job this engine runs (progress, messages, FAL's progress steps:
// job-writer.ts soft/softState), written together: one transaction per FLUSH_MS for all the jobs
// with something pending, not one per job. Eight jobs at FAL each flushed on a timer of their own
// (about two commits per job in the queue bench); a commit is the engine's main cost per write.
import type { FencedUpdate, JobRow } from '../queue/store';
import { errorMessage } from '../util/errors';
import type { RunnerDeps } from './run-context';

/** Longest time a cosmetic change waits to be written. */
export const FLUSH_MS = 250;

/** What a job's writer hands to a group flush, and is told of its outcome. */
export interface FlushMember {
  /** The job's pending writes, taken (cleared) for this flush; null when none are left. */
  takeFlush(): FencedUpdate | null;
  /** The outcome: the row written, null (fenced off) or the error that kept it from being written. */
  flushed(update: FencedUpdate, outcome: JobRow | null | Error): void;
}

export class FlushGroup {
  private readonly members = new Set<FlushMember>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: Pick<RunnerDeps, 'store' | 'logger'>) {}

  /** `member` has changes to write: they go with the group's next flush, within FLUSH_MS. */
  schedule(member: FlushMember): void {
    this.members.add(member);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** `member` wrote its changes itself (or has none left): it is not in the next flush. */
  cancel(member: FlushMember): void {
    this.members.delete(member);
    if (this.members.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private flush(): void {
    this.timer = null;
    const taken: { member: FlushMember; update: FencedUpdate }[] = [];
    for (const member of this.members) {
      const update = member.takeFlush();
      if (update) taken.push({ member, update });
    }
    this.members.clear();
    if (taken.length === 0) return;
    let outcomes: (JobRow | null | Error)[];
    try {
      outcomes = this.deps.store.updateMany(taken.map((t) => t.update));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      outcomes = taken.map(() => failure);
    }
    // Each member is told apart: one whose handling throws (a job event's listener) must not keep the
    // others from theirs, nor escape this timer.
    taken.forEach(({ member, update }, i) => {
      try {
        member.flushed(update, outcomes[i] ?? null);
      } catch (error) {
        this.deps.logger.warn(`job ${update.id}: the outcome of saving its progress could not be handled`, errorMessage(error));
      }
    });
  }
}
