// Shown alone when the app's core can't be reached (wrong bridge token, server gone, no shell).
// Imports nothing that talks to the app, so it can render even when the transport failed to load.
import { Icon } from './Icon';

export function ConnectionError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <main className="fatal">
      <div className="card fatal-card" role="alert">
        <div className="empty-icon">
          <Icon name="offline" size={28} />
        </div>
        <h1>Can’t reach Image2Model</h1>
        <p>{message}</p>
        {onRetry && (
          <button type="button" className="button button-primary" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </main>
  );
}
