// Which copy of a job the window keeps when an action's answer (jobs:add, cancel, retry...) and the
// job's events cross. The app sends a 'job:changed' event for every change, in order, so the events
// alone always end on the truth. An answer is a snapshot taken while the call ran: a job whose event
// arrived after the call began may already have moved on (an offline job can finish before jobs:add
// answers for the rest of its drop), so its answer is dropped instead of setting it back to 'queued'.
export interface JobAnswers {
  /** Call when an event for a job arrives (before it is shown). */
  eventArrived(jobId: string): void;
  /** Taken before a call; pass it to `current` with the call's answer. */
  mark(): number;
  /** The answered jobs that no event has overtaken since `since`. */
  current<T extends { id: string }>(answered: readonly T[], since: number): T[];
  /** Whether an event for the job arrived after `since` (the window's copy is newer than the answer). */
  movedSince(jobId: string, since: number): boolean;
}

export function createJobAnswers(): JobAnswers {
  let arrived = 0;
  const lastArrival = new Map<string, number>();
  return {
    eventArrived(jobId) {
      arrived += 1;
      lastArrival.set(jobId, arrived);
    },
    mark: () => arrived,
    current: (answered, since) => answered.filter((job) => (lastArrival.get(job.id) ?? 0) <= since),
    movedSince: (jobId, since) => (lastArrival.get(jobId) ?? 0) > since,
  };
}
