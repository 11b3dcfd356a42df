// About Image2Model. The <dialog> stays in the page while closed so the app's identity (version,
// data folder, key source) can always be read by tests and assistive tools; the sidebar opens it.
import { useEffect, useRef } from 'react';
import type { AppInfo } from '../../../shared/contract';
import type { KeyStatus } from '../../../shared/domain';
import { AppInfoList } from './AppInfoList';
import { Icon } from './Icon';

export function AboutDialog({ open, info, keyStatus, onClose }: { open: boolean; info: AppInfo; keyStatus: KeyStatus | null; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog about-dialog"
      aria-labelledby="about-title"
      onClose={onClose}
      onMouseDown={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="dialog-body">
        <div className="about-brand">
          <div className="brand-mark">
            <Icon name="cube" size={20} />
          </div>
          <div>
            <h2 id="about-title" className="dialog-title">
              {info.name}
            </h2>
            <p className="muted">Turn photos and drawings into 3D models on your desktop.</p>
          </div>
        </div>
        <AppInfoList info={info} keyStatus={keyStatus} testIds />
      </div>
      <div className="dialog-footer">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </dialog>
  );
}
