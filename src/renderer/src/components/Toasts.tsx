// Short notes in the corner: successes fade out, errors stay until dismissed or replaced.
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { Icon } from './Icon';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  text: string;
  action?: { label: string; run: () => void };
}

/**
 * The modal <dialog> on top, if one is open. A modal dialog is in the browser's top layer, above any
 * z-index, and makes the page behind it inert: toasts shown outside it cannot be seen (or dismissed)
 * while it is open, so they go inside it. Any <dialog> counts (Dialog, the About box, Compare).
 */
function useTopDialog(): HTMLDialogElement | null {
  const [top, setTop] = useState<HTMLDialogElement | null>(null);
  useEffect(() => {
    // In the order they were opened: the last one is on top.
    let open: HTMLDialogElement[] = [];
    const update = () => {
      const modal = new Set(Array.from(document.querySelectorAll('dialog')).filter((d) => d.matches(':modal')));
      open = [...open.filter((d) => modal.has(d)), ...[...modal].filter((d) => !open.includes(d))];
      setTop(open.at(-1) ?? null);
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['open'] });
    return () => observer.disconnect();
  }, []);
  return top;
}

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss(id: number): void }) {
  const dialog = useTopDialog();
  const list = (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
          <Icon name={toast.tone === 'error' ? 'warning' : toast.tone === 'success' ? 'check' : 'info'} />
          <span className="toast-text">{toast.text}</span>
          {toast.action && (
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => {
                toast.action?.run();
                onDismiss(toast.id);
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </div>
  );
  return dialog ? createPortal(list, dialog) : list;
}
