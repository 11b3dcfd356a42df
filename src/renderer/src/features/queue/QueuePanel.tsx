// The queue: overall progress, then every job (working first, then waiting, then finished).
import { useMemo, useState, type ReactNode } from 'react';
import type { Job, QueueState } from '../../../../shared/domain';
import { useApp } from '../../app-context';
import { EmptyState } from '../../components/EmptyState';
import { ProgressBar } from '../../components/ProgressBar';
import { useJobCosts } from '../../hooks/useJobCosts';
import type { JobsApi } from '../../hooks/useJobs';
import { errorCode, errorMessage } from '../../lib/errors';
import { JobRow } from './JobRow';
import { RetryDialog } from './RetryDialog';
import { isActive, isFinished } from './job-text';
import { COUNTS_HELP, countsText, queueCounts, unfinished } from './queue-counts';
import { isSwitchable, modelsFor } from './switch-model';
import { falHoldReason, waitPlaces } from './wait-place';

export interface QueuePanelProps {
  jobs: JobsApi;
  now: number;
  /** The queue's state: while it holds FAL work, FAL jobs say what they wait for instead of a place. */
  queue?: QueueState | null;
  onOpenModel(modelId: string): void;
  /** Shown under the empty queue's explanation (the sample tray). */
  emptyExtra?: ReactNode;
}

function order(jobs: Job[]): Job[] {
  const rank = (job: Job) => (isActive(job.state) ? 0 : job.state === 'queued' ? 1 : 2);
  return [...jobs].sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0) return byRank;
    // Working and waiting: oldest first (the order they run in); finished: newest first.
    if (rank(a) < 2) return a.createdAt - b.createdAt;
    return (b.finishedAt ?? b.createdAt) - (a.finishedAt ?? a.createdAt);
  });
}

export function QueuePanel({ jobs, now, queue = null, onOpenModel, emptyExtra }: QueuePanelProps) {
  const { modelLabel, models, toast, hasKey, navigate } = useApp();
  const [retrying, setRetrying] = useState<{ job: Job; reason: string | null } | null>(null);
  const sorted = useMemo(() => order(jobs.jobs), [jobs.jobs]);
  const falHold = falHoldReason(queue);
  const places = useMemo(
    () => waitPlaces(sorted, (job) => models.find((m) => m.id === job.endpoint)?.provider === 'fal', falHold, hasKey),
    [sorted, models, falHold, hasKey],
  );
  // Finished jobs FAL received: what it really charged goes next to the estimate.
  const chargedIds = useMemo(() => jobs.jobs.filter((j) => isFinished(j.state) && j.falRequestId !== null).map((j) => j.id), [jobs.jobs]);
  const realCosts = useJobCosts(chargedIds);

  const counts = useMemo(() => queueCounts(jobs.jobs), [jobs.jobs]);

  const act = (work: () => Promise<unknown>) => {
    work().catch((err: unknown) => toast({ tone: 'error', text: errorMessage(err) }));
  };
  const retry = (job: Job) =>
    jobs.retry(job.id, false, 'generate').catch((err: unknown) => {
      if (errorCode(err) === 'confirmation_required') setRetrying({ job, reason: errorMessage(err) });
      else toast({ tone: 'error', text: errorMessage(err) });
    });

  const finishedCount = jobs.jobs.filter((j) => isFinished(j.state)).length;
  const nameOf = (id: string) => {
    const found = jobs.jobs.find((j) => j.id === id);
    return found ? found.inputName.split(/[\\/]/).pop() || found.inputName : null;
  };
  // The dialog follows the job as it changes (a check of FAL's records may settle it meanwhile).
  const reviewed = retrying ? (jobs.jobs.find((j) => j.id === retrying.job.id) ?? retrying.job) : null;

  return (
    <section className="card queue" aria-labelledby="queue-title" data-testid="queue">
      <div className="card-header queue-header">
        <div className="queue-heading">
          <h2 id="queue-title">Queue</h2>
          {jobs.jobs.length > 0 && (
            <p className="muted queue-counts" data-testid="queue-counts" title={COUNTS_HELP}>
              {countsText(counts)}
            </p>
          )}
        </div>
        {finishedCount > 0 && (
          <button type="button" className="button button-small button-ghost" onClick={() => act(jobs.clearFinished)}>
            Clear finished
          </button>
        )}
      </div>
      {counts.counted > 0 && unfinished(counts) > 0 && (
        <div className="queue-overall">
          <ProgressBar value={counts.overall} label="Overall progress" />
          <span className="faint">{Math.round(counts.overall)}%</span>
        </div>
      )}
      {jobs.error && (
        <p className="inline-error queue-error" role="alert">
          {jobs.error}
        </p>
      )}
      {jobs.loaded && sorted.length === 0 ? (
        <EmptyState icon="sparkles" title="Nothing in the queue yet" action={emptyExtra}>
          Drop images above. Each one becomes a 3D model here, then lands in your library.
        </EmptyState>
      ) : (
        <ul className="job-list" aria-label="Jobs">
          {sorted.map((job) => (
            <JobRow
              key={job.id}
              job={job}
              waitPlace={places.get(job.id) ?? null}
              modelLabel={modelLabel(job.endpoint)}
              realCost={realCosts.get(job.id)}
              now={now}
              onCancel={(j) => act(() => jobs.cancel(j.id))}
              onRetry={(j) => void retry(j)}
              onDownloadAgain={(j) => act(() => jobs.retry(j.id, false, 'download'))}
              onReview={(j) => setRetrying({ job: j, reason: null })}
              onRemove={(j) => act(() => jobs.remove(j.id))}
              onOpen={(j) => j.modelId && onOpenModel(j.modelId)}
              switchModels={isSwitchable(job) ? modelsFor(job, models) : undefined}
              onSwitchModel={(j, endpoint) => act(() => jobs.setModel(j.id, endpoint))}
            />
          ))}
        </ul>
      )}
      {retrying && reviewed && (
        <RetryDialog
          job={reviewed}
          reason={retrying.reason}
          nameOf={nameOf}
          onOpenSettings={() => {
            setRetrying(null);
            navigate('settings', { focus: 'key' });
          }}
          onConfirm={() => jobs.retry(retrying.job.id, true, 'generate')}
          onClose={() => setRetrying(null)}
        />
      )}
    </section>
  );
}
