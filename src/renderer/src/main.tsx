import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConnectionError } from './components/ConnectionError';
import { applyTheme } from './hooks/useTheme';
import './styles/index.css';

// Follow the system theme from the first paint; the saved setting takes over once it is loaded.
applyTheme('system');

const root = createRoot(document.getElementById('root')!);

// The transport is chosen when api.ts loads; if there is none (page opened without the app), say so
// instead of leaving a blank window.
import('./App').then(
  ({ App }) =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  (error: unknown) => root.render(<ConnectionError message={error instanceof Error ? error.message : String(error)} />),
);
