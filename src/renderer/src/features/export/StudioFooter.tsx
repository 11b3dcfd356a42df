// The studio's footer: the export folder, then Cancel/Close - or, while a batch runs and for a moment
// after it ends, Stop (then a disabled Done/Stopped) - and Export.
import { FolderChoice } from '../../components/FolderChoice';
import { Icon } from '../../components/Icon';

export interface StudioFooterProps {
  folder: string;
  /** The folder is the default one (Settings' output folder or the app's). */
  isDefault: boolean;
  busy: boolean;
  batchRunning: boolean;
  /** Running, or just ended (the hold): the Stop button's place is not Close yet. */
  stopShown: boolean;
  stopping: boolean;
  ended: 'done' | 'stopped' | null;
  /** A batch's summary is shown: Cancel says Close. */
  finished: boolean;
  canExport: boolean;
  exportLabel: string;
  onChooseFolder(): void;
  onUseDefaultFolder(): void;
  onStop(): void;
  onClose(): void;
  onExport(): void;
}

export function StudioFooter(props: StudioFooterProps) {
  const { batchRunning, stopping, ended, busy } = props;
  return (
    <>
      <div className="xs-folder">
        <span className="section-label">Folder</span>
        <FolderChoice label="Export folder" folder={props.folder} isDefault={props.isDefault} disabled={busy} onChoose={props.onChooseFolder} onUseDefault={props.onUseDefaultFolder} />
      </div>
      {props.stopShown ? (
        <button type="button" className="button" onClick={props.onStop} disabled={!batchRunning || stopping} data-testid="batch-stop">
          {batchRunning ? (
            stopping ? (
              'Stopping…'
            ) : (
              'Stop'
            )
          ) : (
            <>
              <Icon name="check" size={16} />
              {ended === 'stopped' ? 'Stopped' : 'Done'}
            </>
          )}
        </button>
      ) : (
        <button type="button" className="button" onClick={props.onClose}>
          {props.finished ? 'Close' : 'Cancel'}
        </button>
      )}
      <button type="button" className="button button-primary" onClick={props.onExport} disabled={!props.canExport} data-testid="export-run">
        {busy ? <Icon name="spinner" size={16} className="spin" /> : <Icon name="download" size={16} />}
        {props.exportLabel}
      </button>
    </>
  );
}
