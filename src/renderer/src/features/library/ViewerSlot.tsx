// The 3D viewer (features/viewer), loaded on first use so three.js stays out of the start-up bundle.
import { lazy, Suspense } from 'react';
import type { ModelStats } from '../../../../shared/domain';
import type { CameraLink } from '../viewer/camera-link';
import type { Dimensions } from '../viewer/engine/dimensions';
import type { Backdrop } from '../viewer/engine/view-settings';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { Icon } from '../../components/Icon';

export interface ViewerProps {
  url: string | null;
  name?: string;
  onStats?: (stats: ModelStats) => void;
  onError?: (message: string) => void;
  onDimensions?: (dimensions: Dimensions | null) => void;
  cameraLink?: CameraLink;
  allowLargeView?: boolean;
  backdrop?: Backdrop;
}

const LazyViewer = lazy(() => import('../viewer/ModelViewer').then((module) => ({ default: module.ModelViewer })));

function ViewerLoading() {
  return (
    <div className="viewer-placeholder" aria-busy="true">
      <Icon name="spinner" size={28} className="spin" />
      <p>Loading the viewer…</p>
    </div>
  );
}

export function ViewerSlot(props: ViewerProps) {
  return (
    <ErrorBoundary
      resetKey={props.url}
      fallback={(message, reset) => (
        <div className="viewer-placeholder" role="alert">
          <Icon name="warning" size={28} />
          <p>The viewer stopped: {message}</p>
          <button type="button" className="button button-small" onClick={reset}>
            Try again
          </button>
        </div>
      )}
    >
      <Suspense fallback={<ViewerLoading />}>
        <LazyViewer {...props} />
      </Suspense>
    </ErrorBoundary>
  );
}
