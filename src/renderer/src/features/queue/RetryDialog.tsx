// Asks before retrying a job that may already have been paid for, explaining what happened.
import type { Job } from '../../../../shared/domain';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatUsd } from '../../lib/format';

export interface RetryDialogProps {
  job: Job;
  /** Why the app asks (its own words), when it refused a plain retry. */
  reason: string | null;
  onConfirm(): Promise<void>;
  onClose(): void;
}

export function RetryDialog({ job, reason, onConfirm, onClose }: RetryDialogProps) {
  const name = job.inputName.split(/[\\/]/).pop() || job.inputName;
  const cost = job.estimatedCostUsd;
  const happened = job.errorMessage ?? reason;
  return (
    <ConfirmDialog
      title={`Retry “${name}”?`}
      confirmLabel={cost ? `Retry (≈ ${formatUsd(cost)})` : 'Retry'}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      {happened && (
        <p>
          <strong>What happened:</strong> {happened}
        </p>
      )}
      {reason && reason !== happened && <p>{reason}</p>}
      <p>
        {cost
          ? 'FAL may already have run this job and charged for it. Retrying starts a new generation that is charged again.'
          : 'Retrying starts the job again from the beginning.'}
      </p>
    </ConfirmDialog>
  );
}
