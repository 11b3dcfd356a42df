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
  /** The recipe cannot be planned as it is (a real size out of range): nothing is worked out until it is fixed. */
  invalid: boolean;
  backdrop: ViewSettings['backdrop'];
}

export function ModelExportResult({ originalUrl, shown, working, failed, invalid, backdrop }: ModelExportResultProps) {
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
                <p>{placeholderText({ working, failed: failed !== null, invalid })}</p>
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

/**
 * What the Result pane says while it has no preview. A real size out of range is not planned at all:
 * "No preview for this result" read as if the model had a fault, so it says what to fix.
 */
function placeholderText({ working, failed, invalid }: { working: boolean; failed: boolean; invalid: boolean }): string {
  if (invalid) return 'No result while the real size is out of range: correct it to see the result here.';
  if (working) return 'The result appears here once it is worked out.';
  return failed ? 'No result to show: see below.' : 'No preview for this result.';
}
