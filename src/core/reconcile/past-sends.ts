// Earlier sends a job no longer carries (the user sent it again, or removed the job: job_past_sends),
// looked for in FAL's history rows as the job's own send is: found -> counted as spend once and kept
// among the job's past requests (not followed); absent after the settle time -> nothing; until then
// it counts against the cap and is checked again with backoff (in this process: they are few, and
// checked afresh after a restart).
import type { RequestHistory } from '../fal/platform-client';
import type { JobRow, JobStore } from '../queue/store';
import { rowsFor } from './candidates';
import type { CheckStore, PastSend } from './checks';
import { matchSubmission } from './match';
import { pastAbsentMessage, pastFoundMessage } from './messages';
import type { ReconcileConfig, ReconcileReport } from './reconciler-types';
import { mentions, rebuildSentInput, safeParse } from './sent-input';

export interface PastSendChecksDeps {
  jobs: JobStore;
  checks: CheckStore;
  now: () => number;
  logger: { info(message: string): void };
  /** The wait before the next check after `count` checks. */
  backoff: (count: number, config: ReconcileConfig) => number;
}

export interface PastSendChecks {
  /** Whether the send is due for a check at `now` (never checked in this process: yes). */
  isDue(send: PastSend, now: number): boolean;
  /** Settles the past sends of one endpoint from the history rows read for it (none: nothing to read them from). */
  check(sends: readonly PastSend[], allPast: readonly PastSend[], history: RequestHistory | null, checkedAt: number, config: ReconcileConfig, report: ReconcileReport): void;
}

const pastKey = (send: { jobId: string; sentAt: number }) => `${send.jobId}@${send.sentAt}`;

export function createPastSendChecks(deps: PastSendChecksDeps): PastSendChecks {
  const { checks, backoff } = deps;
  const pastChecks = new Map<string, { checks: number; nextCheckAt: number }>();

  /** The job's other unsettled sends, as times: its current one when uncertain, and its kept past sends. */
  function rivalsOf(jobId: string, sentAt: number, pastSends: readonly PastSend[]): number[] {
    const job = deps.jobs.get(jobId);
    const current = job && job.state === 'needs_attention' && job.falRequestId === null && job.submitStartedAt !== null ? [job.submitStartedAt] : [];
    return [...current, ...pastSends.filter((p) => p.jobId === jobId).map((p) => p.sentAt)].filter((at) => at !== sentAt);
  }

  /** A job's send in flight with no request id yet (submitting now): FAL may list it already, with the same input. */
  function sendInFlight(jobId: string): boolean {
    const job = deps.jobs.get(jobId);
    return Boolean(job && job.state !== 'needs_attention' && job.falRequestId === null && job.submitStartedAt !== null);
  }

  function pastWait(send: PastSend, checkedAt: number, config: ReconcileConfig): void {
    const previous = pastChecks.get(pastKey(send));
    const count = (previous?.checks ?? 0) + 1;
    let nextCheckAt = checkedAt + backoff(count, config);
    const settleAt = send.latestSentAt + config.settleMs;
    if (checkedAt < settleAt) nextCheckAt = Math.max(checkedAt + Math.min(1_000, config.retryBaseMs), Math.min(nextCheckAt, settleAt));
    pastChecks.set(pastKey(send), { checks: count, nextCheckAt });
  }

  /** Settles the past sends of one endpoint from the history rows read for it (none: nothing to read them from). */
  function checkPastSends(
    sends: readonly PastSend[],
    allPast: readonly PastSend[],
    history: RequestHistory | null,
    checkedAt: number,
    config: ReconcileConfig,
    report: ReconcileReport,
  ): void {
    for (const send of sends) {
      // The job is submitting again right now: its new request may be listed with the same input. Later.
      if (!history || sendInFlight(send.jobId)) {
        pastWait(send, checkedAt, config);
        continue;
      }
      report.checked++;
      const rows = rowsFor(send.sentAt, rivalsOf(send.jobId, send.sentAt, allPast), history.rows);
      const taken = checks.takenRequestIds(rows.map((row) => row.request_id));
      const input = send.inputJson === null ? rebuildSentInput({ ...send, preset: send.preset as JobRow['preset'], submitInputJson: null }) : safeParse(send.inputJson);
      // Nothing to tell its row by: no conclusion (never "absent" for want of a fingerprint).
      if (input === null) {
        pastWait(send, checkedAt, config);
        continue;
      }
      const result = matchSubmission({ endpoint: send.endpoint, sentAt: send.sentAt, input }, rows, taken);
      if (result.kind === 'found') {
        if (checks.settlePastSendFound(send, result.requestId, deps.now(), result.receivedAt)) {
          pastChecks.delete(pastKey(send));
          const message = pastFoundMessage(deps.jobs.get(send.jobId)?.inputName ?? null, send.sentAt, result.requestId, send.estimatedCostUsd);
          report.pastFound.push({ jobId: send.jobId, sentAt: send.sentAt, requestId: result.requestId, usd: send.estimatedCostUsd, message });
          deps.logger.info(`job ${send.jobId}: FAL had received an earlier send (${result.requestId}); counted, not followed`);
        }
      } else if (
        result.kind === 'absent' && checkedAt >= send.latestSentAt + config.settleMs && history.unreadable.length === 0 &&
        // Rebuilt (no exact copy kept): a row naming its upload that it does not match may still be it.
        !(send.inputJson === null && send.inputUrl !== null && rows.some((row) => !taken.has(row.request_id) && row.endpoint_id === send.endpoint && mentions(row.json_input, send.inputUrl!)))
      ) {
        if (checks.settlePastSendAbsent(send, checkedAt)) {
          pastChecks.delete(pastKey(send));
          report.pastAbsent.push({ jobId: send.jobId, sentAt: send.sentAt, message: pastAbsentMessage(deps.jobs.get(send.jobId)?.inputName ?? null, send.sentAt, checkedAt) });
          deps.logger.info(`job ${send.jobId}: FAL has no record of an earlier send; never charged`);
        }
      } else {
        pastWait(send, checkedAt, config);
      }
    }
  }

  return {
    isDue: (send, now) => (pastChecks.get(pastKey(send))?.nextCheckAt ?? 0) <= now,
    check: checkPastSends,
  };
}
