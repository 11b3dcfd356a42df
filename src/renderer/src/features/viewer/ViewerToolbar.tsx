// The viewer's buttons. Every action has a visible tooltip naming its shortcut; toggles report
// their state with aria-pressed. Left/Right arrows move between buttons (the ARIA toolbar pattern).
import type { KeyboardEvent } from 'react';
import { Icon, type IconName } from './icons';

export interface ToolbarAction {
  id: string;
  label: string;
  /** Single key, shown in the tooltip and announced with aria-keyshortcuts. */
  shortcut: string;
  icon: IconName;
  /** Present for toggles. */
  pressed?: boolean;
  disabled?: boolean;
  onClick: () => void;
}

function moveFocus(event: KeyboardEvent<HTMLDivElement>): void {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
  const buttons = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>('button:not(:disabled)'));
  const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (index < 0) return;
  const next = buttons[(index + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length];
  next?.focus();
  event.preventDefault();
  event.stopPropagation(); // arrows on the toolbar must not pan the camera
}

export function ViewerToolbar({ groups }: { groups: ToolbarAction[][] }) {
  return (
    <div className="mv-toolbar" role="toolbar" aria-label="Viewer controls" onKeyDown={moveFocus}>
      {groups.map((group, i) => (
        <div className="mv-toolbar-group" key={i}>
          {group.map((action) => (
            <button
              key={action.id}
              type="button"
              className="mv-button"
              aria-label={action.label}
              aria-pressed={action.pressed}
              aria-keyshortcuts={action.shortcut}
              data-tooltip={`${action.label} (${action.shortcut})`}
              disabled={action.disabled}
              onClick={action.onClick}
            >
              <Icon name={action.icon} />
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
