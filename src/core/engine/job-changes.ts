// Where a changed job goes: the `job` event, throttled per job (state changes at once), the
// request-outcome statistics when it ends here, and the queue state. Also keeps the per-job
// rate-limit counts that the retry policy reads, forgotten when the job ends.
import { TERMINAL_STATES, type Job } from '../../shared/domain';
import { toJob, type JobRow } from '../queue/store';
import { createThrottle } from '../queue/throttle';

export interface JobChangesDeps {
  throttleMs: number;
  emit: (job: Job) => void;
  /** Records a finished job's request outcome (statistics). */
  recordOutcome: (row: JobRow) => void;
  queueChanged: () => void;
}

export interface JobChanges {
  /** `byOtherProcess`: seen by the change watch; that process records its own statistics. */
  changed(row: JobRow, immediate: boolean, byOtherProcess?: boolean): void;
  readonly rateLimitHits: Map<string, number>;
  /** Sends what the throttle still holds. */
  flush(): void;
  dispose(): void;
}

export function createJobChanges(deps: JobChangesDeps): JobChanges {
  const rateLimitHits = new Map<string, number>();
  const throttle = createThrottle<Job>({
    intervalMs: deps.throttleMs,
    emit: (_id, job) => deps.emit(job),
  });
  return {
    changed(row, immediate, byOtherProcess = false) {
      throttle.push(row.id, toJob(row), immediate);
      if (TERMINAL_STATES.includes(row.state)) {
        if (!byOtherProcess) deps.recordOutcome(row);
        throttle.forget(row.id);
        rateLimitHits.delete(row.id);
      }
      if (immediate) deps.queueChanged();
    },
    rateLimitHits,
    flush: () => throttle.flush(),
    dispose: () => throttle.dispose(),
  };
}
