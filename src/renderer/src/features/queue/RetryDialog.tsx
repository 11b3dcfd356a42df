// Asks before generating a job again when that may be charged again (it was sent to FAL before),
// explaining what happened. Fetching a result FAL already made is "Download again" (free), not this.
// A job whose submit answer was lost can first be looked up in FAL's records (FalRecordsCheck).
import { useState } from 'react';
import type { Job } from '../../../../shared/domain';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatUsd } from '../../lib/format';
import { FalRecordsCheck, useRecordsCheck } from './FalRecordsCheck';
import { canCheckFalRecords, lostAnswerCause, provenNotReceived } from './fal-records';
import { STATE_LABEL } from './job-text';

export interface RetryDialogProps {
  /** The job as it is now (a check of FAL's records may settle it while the dialog is open). */
  job: Job;
  /** Why the app asks (its own words), when it refused a plain retry. */
  reason: string | null;
  /** A job's file name, for what a check of FAL's records found (null: not in the queue any more). */
  nameOf(jobId: string): string | null;
  onOpenSettings(): void;
  onConfirm(): Promise<void>;
  onClose(): void;
}

export function RetryDialog({ job, reason, nameOf, onOpenSettings, onConfirm, onClose }: RetryDialogProps) {
  const name = job.inputName.split(/[\\/]/).pop() || job.inputName;
  const cost = job.estimatedCostUsd;
  // Offered for a job that may have reached FAL; kept (with what it found) when the check settles the job.
  const [offersCheck] = useState(() => canCheckFalRecords(job));
  const check = useRecordsCheck(job, nameOf);
  const pending = canCheckFalRecords(job);
  // Once a check's result says where this job stands, "What happened" keeps to the cause: the job's own
  // message now says what the check found too (its words), and the result says it once, below.
  const happened = offersCheck && check.found?.aboutJob ? lostAnswerCause(job) : (job.errorMessage ?? reason);
  // Settled meanwhile (FAL's records showed it had the job: it is followed now): nothing to generate again.
  const retryable = job.state === 'failed' || job.state === 'needs_attention';
  return (
    <ConfirmDialog
      title={retryable ? `Generate “${name}” again?` : `“${name}”: ${STATE_LABEL[job.state]}`}
      confirmLabel={cost ? `Generate again (≈ ${formatUsd(cost)})` : 'Generate again'}
      confirmable={retryable}
      // Generating again may be charged (again): Enter on opening checks FAL's records, or cancels.
      charged
      onConfirm={onConfirm}
      onClose={onClose}
    >
      {retryable && happened && (
        <p data-testid="retry-happened">
          <strong>What happened:</strong> {happened}
        </p>
      )}
      {/* The core's own reason says what a new generation costs; the dialog's words only stand in for it. */}
      {/* Proven never received: "What happened" or the check's result already says sending again is safe (never charged). */}
      {!retryable || provenNotReceived(job) ? null : reason && reason !== happened ? (
        <p>{reason}</p>
      ) : (
        <p>
          {cost
            ? 'FAL may already have run this job and charged for it. Generating again starts a new generation that is charged again.'
            : 'Generating again starts the job from the beginning.'}
        </p>
      )}
      {/* Settled, and nothing found to show (any more): the title says where it is; no empty box. */}
      {!retryable && !check.found && <p>Nothing to generate again: this job is “{STATE_LABEL[job.state]}” now.</p>}
      {offersCheck && (pending || check.found || check.error) && (
        <FalRecordsCheck check={check} pending={pending} onOpenSettings={onOpenSettings} autoFocus />
      )}
    </ConfirmDialog>
  );
}
