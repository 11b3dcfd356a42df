// "Check FAL's records now": asks FAL's request history (reconcile:run) whether jobs whose submit
// answer was lost reached FAL, instead of waiting for the app's own check or paying to send again.
// useRecordsCheck runs it for the job a dialog is about; FalRecordsCheck shows the button and the result.
import { useEffect, useRef, useState } from 'react';
import type { Job } from '../../../../shared/domain';
import { call } from '../../api';
import { Icon, type IconName } from '../../components/Icon';
import { errorMessage } from '../../lib/errors';
import { focusVisibly } from '../../lib/focus';
import { formatTimeOfDay } from '../../lib/format';
import { jobPhase, phaseAfterCheck, recordsLines, reportNamesJob, type JobPhase, type RecordsLine } from './fal-records';

export interface RecordsFinding {
  lines: RecordsLine[];
  /** The report says what became of the dialog's job: the dialog need not say it again. */
  aboutJob: boolean;
  /** When the answer came (shown: it is what FAL's records said then). */
  at: number;
  /** Where the check left the job: what it found holds while the job stays there. */
  leftAs: JobPhase;
}

export interface RecordsCheck {
  busy: boolean;
  error: string | null;
  found: RecordsFinding | null;
  run(): Promise<void>;
}

/**
 * A check of FAL's records asked from the dialog about `job`. What it found is dropped once the job
 * moves on from where the check left it (FAL's records or the app's own check settled it meanwhile, it
 * failed at FAL, it was sent again): it described a state that is gone, and the dialog above it now
 * says what is true. Where the check itself moved the job (followed, sent again) it stays: it says why.
 */
export function useRecordsCheck(job: Job, nameOf: (jobId: string) => string | null): RecordsCheck {
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<RecordsFinding | null>(null);
  const [error, setError] = useState<string | null>(null);
  const phase = jobPhase(job);
  const [lastPhase, setLastPhase] = useState(phase);
  if (phase !== lastPhase) {
    setLastPhase(phase);
    // Left where the check had left it (not arriving there: the job's change can reach the window after the answer).
    if (found && lastPhase === found.leftAs) setFound(null);
    setError(null);
  }
  // The job as it is when the answer comes (the answer may name it, or say nothing of it).
  const jobRef = useRef(job);
  useEffect(() => {
    jobRef.current = job;
  });
  const run = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const report = await call('reconcile:run');
      const now = jobRef.current;
      setFound({
        lines: recordsLines(report, nameOf, (at) => formatTimeOfDay(at)),
        aboutJob: reportNamesJob(report, now.id),
        at: Date.now(),
        leftAs: phaseAfterCheck(report, now),
      });
    } catch (err) {
      setFound(null);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  // Not shown until the job is where the check left it (the change it made may arrive just after it).
  return { busy, error, found: found && phase === found.leftAs ? found : null, run };
}

export interface FalRecordsCheckProps {
  check: RecordsCheck;
  /** The job still waits for FAL's records (false once a check settled it: only what it found stays). */
  pending: boolean;
  /** Opens Settings at the FAL key (when that is what would let the app check). */
  onOpenSettings(): void;
  /** Takes the focus on opening: the free action is the default one, not a paid "Generate again". */
  autoFocus?: boolean;
}

const TONE_ICON: Record<RecordsLine['tone'], IconName> = { success: 'check', info: 'info', warning: 'warning' };

export function FalRecordsCheck({ check, pending, onOpenSettings, autoFocus = false }: FalRecordsCheckProps) {
  const buttonRef = useRef<HTMLButtonElement>(null);
  // An effect, not React's autoFocus: that runs before the dialog around it is open (and focusable).
  useEffect(() => {
    if (autoFocus) focusVisibly(buttonRef.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const { busy, error, found } = check;
  return (
    <div className="records-check" data-testid="fal-records-check">
      {pending && (
        <>
          <p>FAL keeps a record of the requests it receives. The app can look there for this job now: if FAL received it, the app follows it at no extra cost.</p>
          {/* Not `disabled` while busy: a disabled button drops the keyboard focus to the page. */}
          <div>
            <button ref={buttonRef} type="button" className="button button-small" onClick={() => void check.run()} aria-disabled={busy} aria-busy={busy}>
              <Icon name={busy ? 'spinner' : 'search'} size={14} className={busy ? 'spin' : undefined} />
              {busy ? "Checking FAL's records…" : found ? "Check FAL's records again" : "Check FAL's records now"}
            </button>
          </div>
        </>
      )}
      <div className="records-status" role="status" aria-live="polite" data-testid="fal-records-result">
        {error && <p className="inline-error">{error}</p>}
        {found && !busy && (
          <>
            <p className="records-checked-at" data-testid="fal-records-checked-at">
              FAL's records at {formatTimeOfDay(found.at)}:
            </p>
          <ul className="records-lines">
            {found.lines.map((line) => (
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
          </>
        )}
      </div>
    </div>
  );
}
