// A modal built on <dialog>: the browser traps focus, Escape closes it, the page behind is inert.
import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { focusVisibly } from '../lib/focus';

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
  // Once open and its content has placed the focus (their effects run before this one): the focused
  // control shows it, even when a click opened the dialog - the keyboard acts there next.
  useEffect(() => {
    const dialog = ref.current;
    const focused = document.activeElement;
    if (dialog && focused instanceof HTMLElement && focused !== dialog && dialog.contains(focused)) focusVisibly(focused);
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
