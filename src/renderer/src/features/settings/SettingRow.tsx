// One labelled setting: label and help on the left, the control on the right.
import type { ReactNode } from 'react';

export function SettingRow({ label, help, htmlFor, children }: { label: string; help?: ReactNode; htmlFor?: string; children: ReactNode }) {
  return (
    <div className="setting-row">
      <div className="setting-text">
        {htmlFor ? (
          <label className="setting-label" htmlFor={htmlFor}>
            {label}
          </label>
        ) : (
          <span className="setting-label">{label}</span>
        )}
        {help && <p className="setting-help">{help}</p>}
      </div>
      <div className="setting-control">{children}</div>
    </div>
  );
}
