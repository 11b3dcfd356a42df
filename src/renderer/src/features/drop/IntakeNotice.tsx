// What the last drop/pick/paste did: thumbnails of what was added, each refused file with its reason,
// and the images that were not sent (already made, or joined a job on its way) with "Make again
// anyway", which asks first when that is charged (make-again.ts). What it says of a joined job follows
// that job's live state (`jobs`), not the state it had when the image joined it. Images a paid
// generator would make a poorer model from (too small, animated) were held before paying: listed with
// why, with "Send anyway" (its price on the button) and "Leave out".
import { useId, useMemo, useState } from 'react';
import type { Job } from '../../../../shared/domain';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { RefusedReason } from '../../components/RefusedReason';
import { JobThumb } from '../queue/JobThumb';
import { formatUsd, plural } from '../../lib/format';
import { shortenedNote } from '../../lib/pasted-name';
import { addedImageCount } from './intake-result';
import type { IntakeResult, MakeAgainKind } from './useImageIntake';
import { baseName, endedCount, joinedNote, joinedStates, splitJoined } from './joined-note';
import { duplicatesAsk, joinedAsk, type MakeAgainAsk } from './make-again';

export interface IntakeNoticeProps {
  result: IntakeResult;
  /** The queue's jobs as they are now (job events keep them current). */
  jobs: readonly Job[];
  busy: boolean;
  /** The estimated price of one job with the drop's generator and quality (null: not known). */
  unitPriceUsd: number | null;
  /** The estimated price of sending every held image, each with its own drop's generator (null: not known). */
  heldPriceUsd: number | null;
  onDismiss(): void;
  onMakeAgain(kind: MakeAgainKind): Promise<void>;
  /** Sends the held images (paid, as the button says). */
  onSendHeld(): Promise<void>;
  onDropHeld(): void;
  onOpenModel(modelId: string): void;
}

export function IntakeNotice({ result, jobs, busy, unitPriceUsd, heldPriceUsd, onDismiss, onMakeAgain, onSendHeld, onDropHeld, onOpenModel }: IntakeNoticeProps) {
  const { rejected, duplicates, joined, skipped, shortened, warnings, held } = result;
  // The drop's jobs as they are now; one cleared from the queue keeps the state it was last seen in.
  const added = useMemo(() => result.added.map((job) => jobs.find((live) => live.id === job.id) ?? job), [result.added, jobs]);
  const [asking, setAsking] = useState<{ kind: MakeAgainKind; ask: MakeAgainAsk } | null>(null);
  const joinedId = useId();
  const duplicatesId = useId();
  const heldId = useId();
  const heldPrice = heldPriceUsd !== null && heldPriceUsd > 0 ? ` (≈ ${formatUsd(heldPriceUsd)})` : '';
  const joinedText = joinedNote(joined, added);
  const { earlier, copies } = splitJoined(joined);
  const earlierEnded = endedCount(joinedStates(earlier, added));
  const shown = added.slice(0, 12);
  const imageCount = addedImageCount({ added, made: result.made });
  const shortenedText = shortenedNote(shortened);
  const makeAgain = (kind: MakeAgainKind) => {
    const ask = kind === 'joined' ? joinedAsk(joined, added) : duplicatesAsk(duplicates, unitPriceUsd);
    // Free and nothing needs attention: nothing to ask.
    if (ask) setAsking({ kind, ask });
    else void onMakeAgain(kind);
  };
  return (
    <section className="card intake" aria-label="Last added" data-testid="intake-notice">
      <div className="intake-head">
        <div className="intake-summary">
          {imageCount > 0 && (
            <span className="chip chip-success">
              <Icon name="check" size={14} /> {plural(imageCount, 'image')} added
            </span>
          )}
          {held.length > 0 && (
            <span className="chip chip-warning">
              <Icon name="warning" size={14} /> {held.length} not sent yet
            </span>
          )}
          {rejected.length > 0 && (
            <span className="chip chip-danger">
              <Icon name="warning" size={14} /> {rejected.length} not added
            </span>
          )}
          {duplicates.length > 0 && <span className="chip">{plural(duplicates.length, 'already made', 'already made')}</span>}
          {earlier.length > 0 && (
            <span className="chip">
              {earlierEnded > 0 ? plural(earlier.length, 'joined an earlier job', 'joined earlier jobs') : plural(earlier.length, 'already on its way', 'already on their way')}
            </span>
          )}
          {copies.length > 0 && <span className="chip">{plural(copies.length, 'copy', 'copies')} in this drop</span>}
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

      {held.length > 0 && (
        // The check before paying: nothing was sent for these; the user decides.
        <div className="intake-held" data-testid="intake-held">
          <p id={heldId} className="intake-held-title">
            {heldTitle(held.length, result.heldItems.length === 0 ? result.heldSets.length : 0)} Nothing was charged for {held.length === 1 || (result.heldItems.length === 0 && result.heldSets.length === 1) ? 'it' : 'them'}.
          </p>
          <PhotoNotes label="Not sent yet" testId="intake-held-item" notes={held} />
          <div className="button-group">
            <button type="button" className="button button-small" aria-describedby={heldId} onClick={() => void onSendHeld()} disabled={busy}>
              Send anyway{heldPrice}
            </button>
            <button type="button" className="button button-small button-ghost" onClick={onDropHeld} disabled={busy}>
              Leave out
            </button>
          </div>
        </div>
      )}

      {rejected.length > 0 && (
        <ul className="intake-list" aria-label="Not added">
          {rejected.slice(0, 50).map((item, index) => (
            <li key={`${item.input}-${index}`} className="intake-rejected" data-testid="rejected-item">
              <RefusedReason input={item.input} reason={item.reason} />
            </li>
          ))}
          {rejected.length > 50 && <li className="faint">…and {rejected.length - 50} more</li>}
        </ul>
      )}

      {warnings.length > 0 && (
        // Said here, where it stays: the job's waiting line held it only until the job started.
        <PhotoNotes label="Added, with a warning" testId="intake-warning" notes={warnings} />
      )}

      {shortenedText && (
        <p className="muted intake-shortened" data-testid="intake-shortened" title={shortened.join('\n')}>
          <Icon name="info" size={15} />
          <span>{shortenedText}</span>
        </p>
      )}

      {joinedText && (
        <div className="intake-offer" data-testid="intake-joined-offer">
          <p className="muted intake-joined" id={joinedId} data-testid="intake-joined">
            {joinedText}
          </p>
          <button type="button" className="button button-small button-ghost" aria-describedby={joinedId} onClick={() => makeAgain('joined')} disabled={busy}>
            Make again anyway
          </button>
        </div>
      )}

      {duplicates.length > 0 && (
        <div className="intake-offer" data-testid="intake-duplicates">
          <p className="muted" id={duplicatesId}>
            {duplicates.length === 1
              ? `${baseName(duplicates[0]!.input)} was already made with these settings, so nothing was charged.`
              : `${duplicates.length} images were already made with these settings, so nothing was charged.`}
          </p>
          <div className="button-group">
            <button type="button" className="button button-small" onClick={() => onOpenModel(duplicates[0]!.modelId)}>
              Show in library
            </button>
            <button type="button" className="button button-small button-ghost" aria-describedby={duplicatesId} onClick={() => makeAgain('duplicates')} disabled={busy}>
              Make again anyway
            </button>
          </div>
        </div>
      )}

      {asking && (
        <ConfirmDialog title={asking.ask.title} confirmLabel={asking.ask.confirmLabel} charged onConfirm={() => onMakeAgain(asking.kind)} onClose={() => setAsking(null)}>
          {asking.ask.body.map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Why the held images were not sent; `sets`: how many sets they all belong to (0: single images, or a mix). */
function heldTitle(count: number, sets: number): string {
  if (sets === 1) return count === 1 ? 'Not sent: a photo of this set may give a poorer model.' : `Not sent: ${count} photos of this set may give a poorer model.`;
  if (sets > 1) return `Not sent: ${count} photos of these ${sets} sets may give a poorer model.`;
  return count === 1 ? 'Not sent: this image may give a poorer model.' : `Not sent: these ${count} images may give a poorer model.`;
}

/** What to know about some of the drop's photos (each `text` names its photo): the first 50, then a count. */
function PhotoNotes({ label, testId, notes }: { label: string; testId: string; notes: readonly { input: string; text: string }[] }) {
  return (
    <ul className="intake-list" aria-label={label}>
      {notes.slice(0, 50).map((note, index) => (
        <li key={`${note.input}-${index}`} className="intake-warning">
          <Icon name="info" size={15} />
          <span data-testid={testId}>{note.text}</span>
        </li>
      ))}
      {notes.length > 50 && <li className="faint">…and {notes.length - 50} more</li>}
    </ul>
  );
}
