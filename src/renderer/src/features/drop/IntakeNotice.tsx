// What the last drop/pick/paste did: thumbnails of what was added, and each refused file with its reason.
import { Icon } from '../../components/Icon';
import { JobThumb } from '../queue/JobThumb';
import { plural } from '../../lib/format';
import type { IntakeResult } from './useImageIntake';
import { joinedNote } from './joined-note';

export interface IntakeNoticeProps {
  result: IntakeResult;
  busy: boolean;
  onDismiss(): void;
  onMakeAgain(): void;
  onOpenModel(modelId: string): void;
}

const baseName = (input: string) => input.split(/[\\/]/).pop() || input;

export function IntakeNotice({ result, busy, onDismiss, onMakeAgain, onOpenModel }: IntakeNoticeProps) {
  const { added, rejected, duplicates, joined, skipped } = result;
  const joinedText = joinedNote(joined, added);
  const shown = added.slice(0, 12);
  // A job made from several images counts each of them; a job an image joined is not new.
  const joinedJobs = new Set(joined.map((entry) => entry.jobId));
  const imageCount = added.filter((job) => !joinedJobs.has(job.id)).reduce((n, job) => n + Math.max(1, job.inputs?.length ?? 1), 0);
  return (
    <section className="card intake" aria-label="Last added" data-testid="intake-notice">
      <div className="intake-head">
        <div className="intake-summary">
          {imageCount > 0 && (
            <span className="chip chip-success">
              <Icon name="check" size={14} /> {plural(imageCount, 'image')} added
            </span>
          )}
          {rejected.length > 0 && (
            <span className="chip chip-danger">
              <Icon name="warning" size={14} /> {rejected.length} not added
            </span>
          )}
          {duplicates.length > 0 && <span className="chip">{plural(duplicates.length, 'already made', 'already made')}</span>}
          {joined.length > 0 && <span className="chip">{plural(joined.length, 'already on its way', 'already on their way')}</span>}
          {skipped > 0 && <span className="faint">{plural(skipped, 'non-image file')} in folders left out</span>}
        </div>
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <Icon name="close" size={16} />
        </button>
      </div>

      {shown.length > 0 && (
        <ul className="intake-thumbs" aria-label="Added images">
          {shown.map((job) => (
            <li key={job.id} title={job.inputName}>
              <JobThumb job={job} size={56} />
            </li>
          ))}
          {added.length > shown.length && <li className="intake-more">+{added.length - shown.length}</li>}
        </ul>
      )}

      {rejected.length > 0 && (
        <ul className="intake-list" aria-label="Not added">
          {rejected.slice(0, 50).map((item, index) => (
            <li key={`${item.input}-${index}`} className="intake-rejected" data-testid="rejected-item">
              <Icon name="warning" size={15} />
              {/* The app's reasons usually name the file already; name it only when they do not. */}
              {item.reason.includes(baseName(item.input)) ? (
                <span>{item.reason}</span>
              ) : (
                <span>
                  <strong>{baseName(item.input)}</strong> <span className="muted">{item.reason}</span>
                </span>
              )}
            </li>
          ))}
          {rejected.length > 50 && <li className="faint">…and {rejected.length - 50} more</li>}
        </ul>
      )}

      {joinedText && (
        <p className="muted intake-joined" data-testid="intake-joined">
          {joinedText}
        </p>
      )}

      {duplicates.length > 0 && (
        <div className="intake-duplicates">
          <p className="muted">
            {duplicates.length === 1
              ? `${baseName(duplicates[0]!.input)} was already made with these settings, so nothing was charged.`
              : `${duplicates.length} images were already made with these settings, so nothing was charged.`}
          </p>
          <div className="button-group">
            <button type="button" className="button button-small" onClick={() => onOpenModel(duplicates[0]!.modelId)}>
              Show in library
            </button>
            <button type="button" className="button button-small button-ghost" onClick={onMakeAgain} disabled={busy}>
              Make again anyway
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
