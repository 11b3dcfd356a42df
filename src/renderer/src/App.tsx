import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import { call } from './api';

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('app:info').then(setInfo, (e: Error) => setError(e.message));
  }, []);
  return (
    <main className="app-shell">
      <h1>Image2Model</h1>
      {error && <p role="alert">{error}</p>}
      {info && (
        <dl data-testid="app-info">
          <dt>Version</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>Data folder</dt>
          <dd data-testid="app-data-dir">{info.dataDir}</dd>
          <dt>FAL key</dt>
          <dd data-testid="app-key">{info.falKey.configured ? `Set (${info.falKey.source})` : 'Not set'}</dd>
        </dl>
      )}
    </main>
  );
}
