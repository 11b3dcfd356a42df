// Entry of the viewer test harness (bench/viewer/harness.html): the viewer alone, lazily loaded as
// the app loads it, under the app's CSP. Never imported by the app itself.
import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ModelStats } from '../../../../../shared/domain';
import type { ViewerHarness } from './harness-api';

const ModelViewer = lazy(() => import('../ModelViewer'));

declare global {
  interface Window {
    __harness?: ViewerHarness;
    /** What the frame just drawn showed, for the benchmark's frame probe (bench/viewer/frame-probe.js). */
    __benchTag?: () => { lit: boolean };
  }
}

window.__benchTag = () => ({ lit: (window.__viewerDebug?.environmentReadyAt() ?? null) !== null });

/** `harness.html?model=<url>` opens that model from the start (the benchmark times from navigation). */
const initialUrl = new URLSearchParams(location.search).get('model');

const stats: ModelStats[] = [];
const errors: string[] = [];

function Harness() {
  const [model, setModel] = useState<{ url: string | null; name?: string }>({ url: initialUrl });
  const [mounted, setMounted] = useState(true);
  useEffect(() => {
    window.__harness = {
      open: (url, name) => {
        const at = performance.now();
        setModel({ url, name });
        return at;
      },
      setMounted,
      statsReports: () => [...stats],
      errorReports: () => [...errors],
    };
  }, []);
  return (
    <main className="harness">
      {mounted && (
        <Suspense fallback={null}>
          <ModelViewer url={model.url} name={model.name} onStats={(s) => stats.push(s)} onError={(m) => errors.push(m)} />
        </Suspense>
      )}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
