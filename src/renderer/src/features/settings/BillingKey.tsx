// The optional FAL admin ("billing") key: lets the app read what FAL really charged and the
// balance. Same rules as the main key: stored encrypted in main; the page only learns set/last4.
import { useEffect, useId, useState } from 'react';
import type { KeyStatus } from '../../../../shared/domain';
import { call } from '../../api';
import { errorMessage } from '../../lib/errors';

export function BillingKey({ onChanged }: { onChanged(): void }) {
  const inputId = useId();
  const [status, setStatus] = useState<KeyStatus | null>(null);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('billingKey:status').then(setStatus, () => {});
  }, []);

  const run = async (work: () => Promise<KeyStatus>) => {
    setBusy(true);
    setError(null);
    try {
      setStatus(await work());
      setDraft('');
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (status?.set) {
    return (
      <div className="billing-key" data-testid="billing-key">
        <p>
          <strong>Billing key ending in {status.last4 ?? '····'}</strong>{' '}
          <span className="muted">{status.source === 'environment' ? 'from FAL_ADMIN_KEY' : 'saved on this computer, encrypted'}</span>
        </p>
        {status.source === 'stored' && (
          <button type="button" className="button button-small" disabled={busy} onClick={() => void run(() => call('billingKey:clear'))}>
            Remove billing key
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="billing-key" data-testid="billing-key">
      <label htmlFor={inputId} className="field-label">
        Billing key (optional)
      </label>
      <p className="inline-note">
        An ADMIN key from fal.ai/dashboard/keys lets the app show what FAL really charged and your balance. Without it, amounts are
        estimates.
      </p>
      <div className="key-form-row">
        <input
          id={inputId}
          className="input mono"
          data-testid="billing-key-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="Paste an admin key"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button
          type="button"
          className="button"
          data-testid="billing-key-save"
          disabled={busy || draft.trim() === ''}
          onClick={() => void run(() => call('billingKey:set', { key: draft.trim() }))}
        >
          Save
        </button>
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
