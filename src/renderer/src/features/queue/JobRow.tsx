// One job in the queue: source thumbnail, model, state, progress, what is happening, time, actions.
import type { Job } from '../../../../shared/domain';
import { canDownloadAgain } from '../../../../shared/job-retry';
import type { ModelSummary } from '../../../../shared/models';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { chargedText, costSourceExplanation, estimateText, type JobCost } from '../../lib/cost-text';
import { formatDuration } from '../../lib/format';
import { PRESET_LABEL } from '../../lib/presets';
import { JobThumb } from './JobThumb';
import { STATE_LABEL, isActive, isFinished, jobDetail, retryTitle, stateTone } from './job-text';
import { switchPrice } from './switch-model';

export interface JobRowProps {
  job: Job;
  /** A queued job's place ("2nd in line") or what it waits for ("Waiting for a FAL key"); see wait-place.ts. */
  waitPlace: string | null;
  modelLabel: string;
  /** What FAL really charged for this job, when known (billing key, or units FAL reported). */
  realCost?: JobCost;
  now: number;
  onCancel(job: Job): void;
  onRetry(job: Job): void;
  /** Fetches the result FAL already made (free); offered when the job ended with FAL still holding it. */
  onDownloadAgain(job: Job): void;
  onReview(job: Job): void;
  onRemove(job: Job): void;
  onOpen(job: Job): void;
  /** Generators this waiting job may switch to (empty: it keeps its own, e.g. it was sent to FAL). */
  switchModels?: ModelSummary[];
  onSwitchModel?(job: Job, endpoint: string): void;
}

/** "Free" or "≈ $0.30": what a generator would cost for this job. */
const priceText = (usd: number) => estimateText(usd, false);


/** "front, left, back" for a views set, "3 images" for an ordered one. */
function setInputsText(inputs: NonNullable<Job['inputs']>): string {
  return inputs.every((input) => input.role) ? inputs.map((input) => input.role).join(', ') : `${inputs.length} images`;
}

function elapsed(job: Job, now: number): string | null {
  const start = job.startedAt ?? (isActive(job.state) ? job.createdAt : null);
  if (start === null) return null;
  const end = isFinished(job.state) ? (job.finishedAt ?? now) : now;
  return formatDuration(end - start);
}

function progressValue(job: Job): number | null {
  if (job.state === 'succeeded') return 100;
  if ((job.state === 'preparing' || job.state === 'submitted') && job.progress === 0) return null;
  return job.progress;
}

export function JobRow({ job, waitPlace, modelLabel, realCost, now, onCancel, onRetry, onDownloadAgain, onReview, onRemove, onOpen, switchModels = [], onSwitchModel }: JobRowProps) {
  const tone = stateTone(job.state);
  const time = elapsed(job, now);
  const detail = jobDetail(job, waitPlace);
  const barTone = job.state === 'succeeded' ? 'done' : job.state === 'canceled' || job.state === 'queued' ? 'muted' : undefined;
  const cancellable = job.state === 'queued' || isActive(job.state);
  const name = job.inputName.split(/[\\/]/).pop() || job.inputName;
  const switchable = switchModels.length > 1 && onSwitchModel !== undefined;

  return (
    <li className={`job-row tone-${tone}`} data-testid="job-row" data-state={job.state} data-job-id={job.id} aria-label={`${name}: ${STATE_LABEL[job.state]}`}>
      <JobThumb job={job} />
      <div className="job-main">
        <div className="job-title-line">
          <span className="job-name" title={job.inputName}>
            {name}
          </span>
          <span className={`chip chip-${tone === 'neutral' ? 'plain' : tone}`} data-testid="job-state">
            {tone === 'active' && <span className="dot" />}
            {STATE_LABEL[job.state]}
          </span>
        </div>
        <div className="job-meta faint">
          {switchable ? (
            <select
              className="select select-small job-model-select"
              aria-label={`Generator for ${name}`}
              title="Switch this waiting job to another generator"
              data-testid="job-model-select"
              value={job.endpoint}
              onChange={(event) => onSwitchModel(job, event.target.value)}
            >
              {switchModels.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label} · {priceText(switchPrice(job, m))}
                </option>
              ))}
            </select>
          ) : (
            modelLabel
          )}{' '}
          · {PRESET_LABEL[job.preset]}
          {job.inputs && job.inputs.length > 1 && ` · ${setInputsText(job.inputs)}`}
          {/* A switchable job's menu already shows its price. */}
          {job.estimatedCostUsd !== null && !switchable && ` · ${estimateText(job.estimatedCostUsd, realCost !== undefined)}`}
          {realCost && (
            <>
              {' · '}
              <span className="job-real-cost" data-testid="job-real-cost" data-source={realCost.source} title={costSourceExplanation(realCost)}>
                {chargedText(realCost)}
              </span>
            </>
          )}
          {job.attempts > 1 && ` · attempt ${job.attempts}`}
        </div>
        {/* A failed job's bar was an empty grey track: its message says what happened instead. */}
        {job.state !== 'needs_attention' && job.state !== 'failed' && <ProgressBar value={progressValue(job)} label={`${name} progress`} tone={barTone} />}
        {job.state === 'needs_attention' ? (
          <div className="job-attention" role="note">
            <Icon name="warning" size={16} />
            <div>
              <p>{detail}</p>
              <button type="button" className="link-button" onClick={() => onReview(job)}>
                Review and retry…
              </button>
            </div>
          </div>
        ) : (
          <div className={`job-detail${job.state === 'failed' ? ' is-error' : job.state === 'queued' ? ' is-waiting' : ''}`} data-testid="job-detail" title={detail}>
            {detail}
          </div>
        )}
        {/* The engine's own rule (shared/job-retry.ts): whatever ended the job, FAL still has its result.
            Under the message, not with the icons: the actions column is too narrow for a labelled button. */}
        {canDownloadAgain(job) && (
          <div className="job-offer">
            <button type="button" className="button button-small" title="Fetch the model FAL already made (free)" onClick={() => onDownloadAgain(job)}>
              <Icon name="download" size={14} />
              Download again
            </button>
            <span className="faint">{job.state === 'needs_attention' ? 'Free: FAL already has this job' : 'Free: FAL still has this result'}</span>
          </div>
        )}
      </div>
      <div className="job-time" aria-label={time ? `Elapsed ${time}` : undefined}>
        {time && (
          <>
            <Icon name="clock" size={14} />
            {time}
          </>
        )}
      </div>
      <div className="job-actions">
        {job.state === 'succeeded' && job.modelId && (
          <button type="button" className="button button-small" onClick={() => onOpen(job)}>
            Open
          </button>
        )}
        {cancellable && (
          <button type="button" className="icon-button danger" aria-label={`Cancel ${name}`} title="Cancel" onClick={() => onCancel(job)}>
            <Icon name="close" />
          </button>
        )}
        {/* A canceled job stays canceled (the core never brings it back), so it offers no retry. */}
        {job.state === 'failed' && (
          <button
            type="button"
            className="icon-button"
            aria-label={job.falRequestId ? `Generate ${name} again` : `Retry ${name}`}
            title={retryTitle(job, realCost)}
            onClick={() => onRetry(job)}
          >
            <Icon name="retry" />
          </button>
        )}
        {isFinished(job.state) && (
          <button type="button" className="icon-button" aria-label={`Remove ${name} from the queue`} title="Remove from the queue" onClick={() => onRemove(job)}>
            <Icon name="trash" />
          </button>
        )}
      </div>
    </li>
  );
}
