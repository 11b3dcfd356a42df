// A batch's side of the studio: what will be exported with which preset, then its progress and, once
// it ends, the summary (the first failures named).
import type { BatchProgress, BatchSummary } from '../../../../shared/export-recipe';
import { ProgressBar } from '../../components/ProgressBar';
import { batchScopeText, batchScopeTitle, type BatchScope } from './batch-scope';

export interface BatchExportResultProps {
  target: BatchScope;
  presetLabel: string;
  /** The recipe differs from the preset's. */
  modified: boolean;
  running: boolean;
  progress: BatchProgress | null;
  summary: BatchSummary | null;
}

export function BatchExportResult({ target, presetLabel, modified, running, progress, summary }: BatchExportResultProps) {
  return (
    <div className="xs-result xs-batch" data-testid="export-batch">
      <p className="xs-batch-text">
        <span data-testid="batch-scope" title={batchScopeTitle(target)}>
          {batchScopeText(target)}
        </span>{' '}
        will be exported with{' '}
        <strong>{presetLabel}</strong>
        {modified && ' (changed)'} into the folder below. Names never overwrite existing files.
      </p>
      {running && (
        <p className="inline-note" data-testid="batch-locked">
          The settings are locked until this export is done or stopped.
        </p>
      )}
      {progress && (
        <div className="xs-progress">
          <ProgressBar value={progress.total ? (progress.done / progress.total) * 100 : 0} label="Export progress" tone={summary ? 'done' : undefined} />
          <p data-testid="batch-progress">
            {progress.done} of {progress.total} done{progress.failed > 0 && ` · ${progress.failed} failed`}
            {progress.current && ` · now: ${progress.current}`}
          </p>
        </div>
      )}
      {summary && (
        <div className="xs-summary" role="status" data-testid="batch-summary">
          <strong>
            {summary.canceled ? 'Stopped' : 'Done'}: {summary.succeeded} exported{summary.failed > 0 && `, ${summary.failed} failed`} in{' '}
            {(summary.ms / 1000).toFixed(1)} s
          </strong>
          <span className="xs-summary-dir">{summary.dir}</span>
          {summary.items
            .filter((i) => !i.ok)
            .slice(0, 5)
            .map((i) => (
              <span key={i.id} className="xp-warning">
                {i.name}: {i.error}
              </span>
            ))}
        </div>
      )}
    </div>
  );
}
