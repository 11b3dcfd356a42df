// One model's side of the studio: the original and the result's preview side by side, and the result's
// figures (kept on screen, marked pending, while the plan for the latest change is worked out).
import type { ViewSettings } from '../viewer/engine/view-settings';
import { Icon } from '../../components/Icon';
import { ViewerSlot } from '../library/ViewerSlot';
import type { PlannedAnswer } from './plan-view';
import { PlanSummary } from './PlanSummary';

export interface ModelExportResultProps {
  originalUrl: string | null;
  /** The plan on screen (planView). */
  shown: PlannedAnswer | null;
  working: boolean;
  failed: string | null;
  backdrop: ViewSettings['backdrop'];
}

export function ModelExportResult({ originalUrl, shown, working, failed, backdrop }: ModelExportResultProps) {
  return (
    <div className="xs-result">
      <div className="xs-viewers">
        <figure className="xs-viewer">
          <figcaption>Original</figcaption>
          <div className="xs-viewer-frame">
            <ViewerSlot url={originalUrl} name="Original" backdrop={backdrop} />
          </div>
        </figure>
        <figure className={`xs-viewer${working && shown ? ' is-pending' : ''}`} data-testid="export-preview">
          <figcaption>Result</figcaption>
          <div className="xs-viewer-frame">
            {/* No result yet: the viewer's "No model open" read as if the model were missing. */}
            {shown?.previewUrl ? (
              <ViewerSlot url={shown.previewUrl} name="Result" backdrop={backdrop} />
            ) : (
              <div className="viewer-placeholder" data-testid="export-preview-empty">
                <p>{working ? 'The result appears here once it is worked out.' : failed ? 'No result to show: see below.' : 'No preview for this result.'}</p>
              </div>
            )}
          </div>
        </figure>
      </div>
      {working && (
        <p className="xs-status" role="status">
          <Icon name="spinner" size={16} className="spin" /> Working out the result…
        </p>
      )}
      {shown && <PlanSummary plan={shown.plan} pending={working} />}
      {failed && (
        <p className="inline-error" role="alert">
          {failed}
        </p>
      )}
    </div>
  );
}
