// "Are you sure?" with the consequence in plain words; the action runs here so errors show in place.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/errors';
import { focusVisibly } from '../lib/focus';
import { Dialog } from './Dialog';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /**
   * 'caution': the confirm button is the less safe choice (e.g. storing a key with weak protection):
   * like a charged one it is never the default (the focus opens on Cancel) and is drawn as a cautionary
   * action, not as the primary one.
   */
  tone?: 'danger' | 'primary' | 'caution';
  /** False: nothing left to confirm (what it asked about changed meanwhile); only Close is offered. */
  confirmable?: boolean;
  /**
   * The confirm button spends money (FAL charges for it): it is never the default, so Enter right after
   * the dialog opens cannot pay. The focus starts on Cancel, unless something in the body took it (a free
   * action offered instead, e.g. "Check FAL's records now"). Nor does it look like the default: it is
   * drawn as a cautionary action (button-caution), not as the filled primary one.
   */
  charged?: boolean;
  onConfirm(): Promise<unknown> | void;
  onClose(): void;
}

export function ConfirmDialog({ title, children, confirmLabel, tone = 'primary', confirmable = true, charged = false, onConfirm, onClose }: ConfirmDialogProps) {
  // The confirm button is not the safe choice: Cancel is the default, and the button looks cautionary.
  const cautious = charged || tone === 'caution';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  // Runs once the dialog is open (after its showModal, after the body's own effects), and whenever the
  // buttons change under it. Close replaces the buttons: it takes the focus (the focused one may have
  // gone with them). The buttons come (back): a paid or cautionary one never takes it - Cancel does, unless the body's
  // free action holds it. (A followed job that fails while its dialog is open brings "Generate again"
  // back: it took the focus, so Enter paid.)
  useEffect(() => {
    // Visibly: the focus moves without the user doing it (the dialog opened, the job changed under it).
    if (!confirmable) focusVisibly(closeRef.current);
    else if (cautious && !bodyRef.current?.contains(document.activeElement)) focusVisibly(cancelRef.current);
    // The paid and caution flags are fixed for a dialog; only the buttons changing moves the focus.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [confirmable]);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        confirmable ? (
          <>
            <button ref={cancelRef} type="button" className="button" onClick={onClose} autoFocus={tone === 'danger' && !charged}>
              Cancel
            </button>
            <button
              type="button"
              className={tone === 'danger' ? 'button button-danger' : cautious ? 'button button-caution' : 'button button-primary'}
              onClick={() => void confirm()}
              disabled={busy}
              autoFocus={tone === 'primary' && !charged}
            >
              {busy ? 'Working…' : confirmLabel}
            </button>
          </>
        ) : (
          <button ref={closeRef} type="button" className="button" onClick={onClose}>
            Close
          </button>
        )
      }
    >
      <div ref={bodyRef} className="dialog-text">
        {children}
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
