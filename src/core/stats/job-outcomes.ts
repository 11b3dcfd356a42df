// Turns the engine's job changes into request outcomes: a FAL job that reaches an end state after
// its submit was sent is one FAL request that ended. (A submit FAL answered with an error is
// recorded where it happens, in the FAL steps; that job's row no longer says it was sent.)
import type { JobRow } from '../queue/store';
import type { RequestStatus } from '../../shared/stats';
import type { RequestOutcome, StatsRecorder } from './recorder';
import { estimateIsSpent } from '../spend/charge-rule';

const STATUS_OF_STATE: Partial<Record<JobRow['state'], RequestStatus>> = {
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
  // The submit's answer was lost (or the app stopped while sending): FAL may or may not have it.
  needs_attention: 'uncertain',
};

/** The request outcome a job row tells of, or null (not FAL, not ended, nothing sent). */
export function outcomeOfJob(row: JobRow): RequestOutcome | null {
  const status = STATUS_OF_STATE[row.state];
  if (!status || row.provider !== 'fal' || row.finishedAt === null) return null;
  if (row.falRequestId === null && row.submitStartedAt === null) return null;
  return {
    jobId: row.id,
    endpoint: row.endpoint,
    requestId: row.falRequestId,
    status,
    errorType: status === 'succeeded' ? null : row.errorCode,
    startedAt: row.submitStartedAt ?? row.submittedAt ?? row.finishedAt,
    finishedAt: row.finishedAt,
    // The same rule as the spend totals (charge-rule.ts); real costs come later from FAL's billing records.
    estimatedCostUsd: estimateIsSpent(status, row.errorCode) ? row.estimatedCostUsd : null,
  };
}

/**
 * Records each ended request once, however often the same end state is shown again (flushes, events).
 * A job that is retried and ends again is a new request (a new finish time).
 */
export function trackRequestOutcomes(recorder: StatsRecorder): (row: JobRow) => void {
  const recorded = new Map<string, number>();
  return (row) => {
    const outcome = outcomeOfJob(row);
    if (!outcome || recorded.get(row.id) === outcome.finishedAt) return;
    if (recorded.size >= 10_000) recorded.clear(); // bounded; an old job ending again is rare
    recorded.set(row.id, outcome.finishedAt);
    recorder.recordRequestOutcome(outcome);
  };
}
