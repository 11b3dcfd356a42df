// Asks before generating a job again when that may be charged again (it was sent to FAL before),
// explaining what happened. Fetching a result FAL already made is "Download again" (free), not this.
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
      title={`Generate “${name}” again?`}
      confirmLabel={cost ? `Generate again (≈ ${formatUsd(cost)})` : 'Generate again'}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      {happened && (
        <p>
          <strong>What happened:</strong> {happened}
        </p>
      )}
      {/* The core's own reason says what a new generation costs; the dialog's words only stand in for it. */}
      {reason && reason !== happened ? (
        <p>{reason}</p>
      ) : (
        <p>
          {cost
            ? 'FAL may already have run this job and charged for it. Generating again starts a new generation that is charged again.'
            : 'Generating again starts the job from the beginning.'}
        </p>
      )}
    </ConfirmDialog>
  );
}
