// The FAL key: status (last 4 characters and where it comes from, never the key), set, test, clear.
import { useId, useState } from 'react';
import { call } from '../../api';
import { useApp } from '../../app-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import type { KeyApi } from '../../hooks/useKeyStatus';
import { errorCode, errorMessage } from '../../lib/errors';

type TestResult = Awaited<ReturnType<KeyApi['test']>>;

export function KeySection({ keys }: { keys: KeyApi }) {
  const { toast } = useApp();
  const inputId = useId();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmWeak, setConfirmWeak] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);
  const [test, setTest] = useState<TestResult | 'testing' | null>(null);
  const status = keys.status;

  const save = async (allowWeak = false) => {
    const key = draft.trim();
    if (!key) return setError('Paste your key first.');
    setBusy(true);
    setError(null);
    try {
      await keys.set(key, allowWeak);
      setDraft('');
      setTest(null);
      toast({ tone: 'success', text: 'Key saved. Waiting jobs will start.' });
    } catch (err) {
      if (errorCode(err) === 'confirmation_required') setConfirmWeak(errorMessage(err));
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const runTest = async () => {
    setTest('testing');
    try {
      setTest(await keys.test());
    } catch (err) {
      setTest({ result: 'unreachable', message: errorMessage(err) });
    }
  };

  const source =
    status?.source === 'environment'
      ? 'from the FAL_KEY environment variable'
      : status?.source === 'stored'
        ? status.weakProtection
          ? 'saved on this computer (weakly protected)'
          : `saved on this computer, encrypted${status.backend && status.backend !== 'none' ? ` (${status.backend.replaceAll('_', ' ')})` : ''}`
        : null;

  return (
    <section className="card settings-card" id="settings-key" aria-labelledby="settings-key-title">
      <div className="card-header">
        <div>
          <h2 id="settings-key-title">FAL key</h2>
          <p className="muted">Used for the AI generators. It stays on this computer and is never shown again.</p>
        </div>
      </div>
      <div className="card-body settings-body">
        <div className={`key-status${status?.set ? ' is-set' : ''}`} data-testid="key-status">
          <div className="key-status-icon">
            <Icon name={status?.set ? 'check' : 'key'} size={18} />
          </div>
          <div>
            <strong>{status === null ? 'Checking…' : status.set ? `Key ending in ${status.last4 ?? '····'}` : 'No key set'}</strong>
            <p className="muted">{status?.set ? source : 'Add a key to use Tripo, TRELLIS, Hunyuan3D and Rodin. The offline generator needs none.'}</p>
          </div>
          {status?.set && (
            <div className="key-status-actions">
              <button type="button" className="button button-small" onClick={() => void runTest()} disabled={test === 'testing'}>
                {test === 'testing' ? 'Testing…' : 'Test key'}
              </button>
              {status.source === 'stored' && (
                <button type="button" className="button button-small button-ghost" onClick={() => setConfirmClear(true)}>
                  Remove
                </button>
              )}
            </div>
          )}
        </div>

        {test && test !== 'testing' && (
          <p className={`key-test key-test-${test.result}`} role="status" data-testid="key-test-result">
            <Icon name={test.result === 'accepted' ? 'check' : 'warning'} size={16} />
            {test.message}
          </p>
        )}

        {status?.needsReentry && (
          <div className="notice notice-warning" role="note">
            <Icon name="warning" size={16} />
            <p>Your saved key can no longer be read (the system keychain changed or was reset). Enter it again below.</p>
          </div>
        )}
        {status?.weakProtection && status.source === 'stored' && (
          <div className="notice notice-warning" role="note">
            <Icon name="warning" size={16} />
            <p>This system has no keychain, so the saved key is only obfuscated, not encrypted. Anyone with access to your user account could read it.</p>
          </div>
        )}

        <form
          className="key-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <label htmlFor={inputId} className="field-label">
            {status?.set ? 'Replace the key' : 'Your FAL key'}
          </label>
          <div className="key-form-row">
            <input
              id={inputId}
              className="input mono"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="Paste your key (key-id:secret)"
              value={draft}
              onChange={(event) => {
                setDraft(event.target.value);
                setError(null);
              }}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${inputId}-error` : undefined}
              data-testid="key-input"
            />
            <button type="submit" className="button button-primary" disabled={busy || !draft.trim()}>
              {busy ? 'Saving…' : 'Save key'}
            </button>
          </div>
          {error && (
            <p id={`${inputId}-error`} className="inline-error" role="alert">
              {error}
            </p>
          )}
          <p className="inline-note">
            No key yet?{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => void call('shell:openExternal', { url: 'https://fal.ai/dashboard/keys' }).catch(() => {})}
            >
              Create one on fal.ai
            </button>
          </p>
        </form>
      </div>

      {confirmWeak !== null && (
        <ConfirmDialog
          title="Save the key with weak protection?"
          confirmLabel="Save anyway"
          onConfirm={() => save(true)}
          onClose={() => setConfirmWeak(null)}
        >
          <p>{confirmWeak || 'This system has no keychain to encrypt the key with.'}</p>
          <p>
            The key would be stored obfuscated, not encrypted. The safer choice is to set the FAL_KEY environment variable
            instead, or to install a keyring (for example GNOME Keyring or KWallet).
          </p>
        </ConfirmDialog>
      )}
      {confirmClear && (
        <ConfirmDialog
          title="Remove the saved key?"
          confirmLabel="Remove key"
          tone="danger"
          onConfirm={async () => {
            await keys.clear();
            setTest(null);
          }}
          onClose={() => setConfirmClear(false)}
        >
          <p>FAL jobs will wait until a key is set again. The offline generator keeps working.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
