// A modal built on <dialog>: the browser traps focus, Escape closes it, the page behind is inert.
import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  onClose(): void;
  children?: ReactNode;
  footer?: ReactNode;
  /** Optional extra class (e.g. 'dialog-wide'). */
  className?: string;
}

/** Render it only while open: mounting opens it, unmounting closes it. */
export function Dialog({ title, onClose, children, footer, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault(); // Escape: let React decide (unmount) instead of closing under it.
        onClose();
      }}
      onMouseDown={(event) => {
        if (event.target === ref.current) onClose(); // a press on the backdrop
      }}
    >
      <div className="dialog-body">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </dialog>
  );
}
