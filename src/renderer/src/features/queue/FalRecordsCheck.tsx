// "Check FAL's records now": asks FAL's request history (reconcile:run) whether jobs whose submit
// answer was lost reached FAL, instead of waiting for the app's own check or paying to send again.
import { useEffect, useRef, useState } from 'react';
import { call } from '../../api';
import { Icon, type IconName } from '../../components/Icon';
import { errorMessage } from '../../lib/errors';
import { focusVisibly } from '../../lib/focus';
import { formatTimeOfDay } from '../../lib/format';
import { recordsLines, type RecordsLine } from './fal-records';

export interface FalRecordsCheckProps {
  /** The job still waits for FAL's records (false once a check settled it: only what it found stays). */
  pending: boolean;
  /** A job's file name (null: not in the queue any more). */
  nameOf(jobId: string): string | null;
  /** Opens Settings at the FAL key (when that is what would let the app check). */
  onOpenSettings(): void;
  /** Takes the focus on opening: the free action is the default one, not a paid "Generate again". */
  autoFocus?: boolean;
}

const TONE_ICON: Record<RecordsLine['tone'], IconName> = { success: 'check', info: 'info', warning: 'warning' };

export function FalRecordsCheck({ pending, nameOf, onOpenSettings, autoFocus = false }: FalRecordsCheckProps) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  // An effect, not React's autoFocus: that runs before the dialog around it is open (and focusable).
  useEffect(() => {
    if (autoFocus) focusVisibly(buttonRef.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const [busy, setBusy] = useState(false);
  const [lines, setLines] = useState<RecordsLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const check = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const report = await call('reconcile:run');
      setLines(recordsLines(report, nameOf, (at) => formatTimeOfDay(at)));
    } catch (err) {
      setLines(null);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="records-check" data-testid="fal-records-check">
      {pending && (
        <>
          <p>FAL keeps a record of the requests it receives. The app can look there for this job now: if FAL received it, the app follows it at no extra cost.</p>
          {/* Not `disabled` while busy: a disabled button drops the keyboard focus to the page. */}
          <div>
            <button ref={buttonRef} type="button" className="button button-small" onClick={() => void check()} aria-disabled={busy} aria-busy={busy}>
              <Icon name={busy ? 'spinner' : 'search'} size={14} className={busy ? 'spin' : undefined} />
              {busy ? "Checking FAL's records…" : lines ? "Check FAL's records again" : "Check FAL's records now"}
            </button>
          </div>
        </>
      )}
      <div className="records-status" role="status" aria-live="polite" data-testid="fal-records-result">
        {error && <p className="inline-error">{error}</p>}
        {lines && !busy && (
          <ul className="records-lines">
            {lines.map((line) => (
              <li key={line.text} className={`records-line tone-${line.tone}`}>
                <Icon name={TONE_ICON[line.tone]} size={15} />
                <span>
                  {line.text}
                  {line.fixInSettings && (
                    <>
                      {' '}
                      <button type="button" className="link-button" onClick={onOpenSettings}>
                        Open Settings
                      </button>
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
