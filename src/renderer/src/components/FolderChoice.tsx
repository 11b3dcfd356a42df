// A folder the user picked in the system's folder dialog, shown read-only with "Choose…" (and "Use
// default" when another folder is chosen). Folders are never typed: the app writes only into folders
// picked that way, or its own exports folder (src/core/export/folders.ts).
import { Icon } from './Icon';

export interface FolderChoiceProps {
  /** Names the folder for assistive technology and tests ("Export folder"). */
  label: string;
  folder: string;
  /** The folder shown is the default one (no "Use default" then). */
  isDefault: boolean;
  disabled?: boolean;
  onChoose(): void;
  /** Absent: there is no default to go back to (the watched folder). */
  onUseDefault?(): void;
}

export function FolderChoice({ label, folder, isDefault, disabled, onChoose, onUseDefault }: FolderChoiceProps) {
  return (
    <div className="folder-choice">
      <div className="folder-choice-path" role="textbox" aria-readonly="true" aria-label={label} tabIndex={0} title={folder}>
        <Icon name="folder" size={16} />
        {/* The end of a long path matters most, so the text is cut at its start. */}
        <span className="folder-choice-text">
          <bdi>{folder}</bdi>
        </span>
        {isDefault && <span className="folder-choice-default">default</span>}
      </div>
      <div className="folder-choice-actions">
        <button type="button" className="button" onClick={onChoose} disabled={disabled}>
          Choose…
        </button>
        {!isDefault && onUseDefault && (
          <button type="button" className="button button-ghost" onClick={onUseDefault} disabled={disabled}>
            Use default
          </button>
        )}
      </div>
    </div>
  );
}
