// The 3D viewer (features/viewer), loaded on first use so three.js stays out of the start-up bundle.
import { lazy, Suspense } from 'react';
// Type-only: erased from the bundle, so three.js still loads with the viewer, not at start-up.
import type { ModelViewerProps } from '../viewer/ModelViewer';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { Icon } from '../../components/Icon';

const LazyViewer = lazy(() => import('../viewer/ModelViewer').then((module) => ({ default: module.ModelViewer })));

function ViewerLoading() {
  return (
    <div className="viewer-placeholder" aria-busy="true">
      <Icon name="spinner" size={28} className="spin" />
      <p>Loading the viewer…</p>
    </div>
  );
}

export function ViewerSlot(props: ModelViewerProps) {
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
