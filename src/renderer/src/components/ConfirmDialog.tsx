// "Are you sure?" with the consequence in plain words; the action runs here so errors show in place.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/errors';
import { Dialog } from './Dialog';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  /** False: nothing left to confirm (what it asked about changed meanwhile); only Close is offered. */
  confirmable?: boolean;
  onConfirm(): Promise<unknown> | void;
  onClose(): void;
}

export function ConfirmDialog({ title, children, confirmLabel, tone = 'primary', confirmable = true, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  // Close replaces the buttons while the dialog is open: it takes the focus (the focused one may have gone with them).
  useEffect(() => {
    if (!confirmable) closeRef.current?.focus();
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
            <button type="button" className="button" onClick={onClose} autoFocus={tone === 'danger'}>
              Cancel
            </button>
            <button
              type="button"
              className={tone === 'danger' ? 'button button-danger' : 'button button-primary'}
              onClick={() => void confirm()}
              disabled={busy}
              autoFocus={tone !== 'danger'}
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
      <div className="dialog-text">{children}</div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
