// Adding a FAL key, step by step: where to get one (fal.ai, opened in the browser by the app), paste
// and save it, test it with one free call, and what happens to the jobs that were waiting for it.
// Settings shows it; the Create page's "Add key" (banner, generator hint) leads there.
import { useId, useState } from 'react';
import { call } from '../../api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import type { KeyApi } from '../../hooks/useKeyStatus';
import { useQueueState } from '../../hooks/useQueueState';
import { errorCode, errorMessage } from '../../lib/errors';
import { plural } from '../../lib/format';

export const FAL_KEYS_URL = 'https://fal.ai/dashboard/keys';
/** Where a used-up FAL balance is topped up. */
export const FAL_BILLING_URL = 'https://fal.ai/dashboard/billing';

type TestResult = Awaited<ReturnType<KeyApi['test']>>;

export interface KeyGuideProps {
  keys: KeyApi;
}

/** Opens a fal.ai page in the system browser (main checks the address against its allowlist). */
export function openFalPage(url: string, onError: (message: string) => void): void {
  call('shell:openExternal', { url }).catch((err: unknown) => onError(errorMessage(err)));
}

/** Opens fal.ai's key page in the system browser. */
export function openFalKeysPage(onError: (message: string) => void): void {
  openFalPage(FAL_KEYS_URL, onError);
}

export function KeyGuide({ keys }: KeyGuideProps) {
  const inputId = useId();
  const queue = useQueueState();
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmWeak, setConfirmWeak] = useState<string | null>(null);
  const [test, setTest] = useState<TestResult | 'testing' | null>(null);
  const keySet = keys.status?.set ?? false;
  // Jobs held for a key: while the queue says the key is missing or refused, every waiting job is one.
  const waiting = queue && (queue.status === 'no_key' || queue.status === 'key_rejected') ? queue.queued : 0;
  // Held by a used-up balance instead: the key is right, a passing test after topping up resumes them.
  const waitingForBalance = queue?.status === 'balance_used_up' ? queue.queued : 0;

  const runTest = async () => {
    setTest('testing');
    try {
      setTest(await keys.test());
    } catch (err) {
      setTest({ result: 'unreachable', message: errorMessage(err) });
    }
  };

  const save = async (allowWeak = false) => {
    const key = draft.trim();
    if (!key) return setError('Paste your key first.');
    setBusy(true);
    setError(null);
    try {
      await keys.set(key, allowWeak);
      setDraft('');
      // Step 3 follows by itself: a saved key is tested at once.
      await runTest();
    } catch (err) {
      if (errorCode(err) === 'confirmation_required') setConfirmWeak(errorMessage(err));
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="key-guide" data-testid="key-guide">
      <ol className="key-steps">
        <li className="key-step">
          <span className="key-step-number" aria-hidden="true">
            1
          </span>
          <div className="key-step-body">
            <strong>Get a key from FAL</strong>
            <p className="muted">Sign in at fal.ai (a free account works) and create a key under Dashboard, Keys. It looks like key-id:secret.</p>
            <button type="button" className="button button-small" onClick={() => openFalKeysPage(setError)} data-testid="key-guide-link">
              Open fal.ai/dashboard/keys
              <Icon name="external" size={14} />
            </button>
          </div>
        </li>
        <li className="key-step">
          <span className="key-step-number" aria-hidden="true">
            2
          </span>
          <form
            className="key-step-body key-form"
            onSubmit={(event) => {
              event.preventDefault();
              void save();
            }}
          >
            <label htmlFor={inputId}>
              <strong>{keySet ? 'Paste a new key to replace this one' : 'Paste it here and save'}</strong>
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
            <p className="muted">It is encrypted on this computer and never shown again.</p>
            {error && (
              <p id={`${inputId}-error`} className="inline-error" role="alert">
                {error}
              </p>
            )}
          </form>
        </li>
        <li className="key-step">
          <span className="key-step-number" aria-hidden="true">
            3
          </span>
          <div className="key-step-body">
            <strong>Test it</strong>
            <p className="muted">One free call to FAL checks the key. A saved key is tested at once.</p>
            <button type="button" className="button button-small" onClick={() => void runTest()} disabled={!keySet || test === 'testing'} data-testid="key-guide-test">
              {test === 'testing' ? 'Testing…' : 'Test key'}
            </button>
            {test && test !== 'testing' && (
              <p className={`key-test key-test-${test.result}`} role="status" data-testid="key-test-result">
                <Icon name={test.result === 'accepted' ? 'check' : 'warning'} size={16} />
                {test.message}
              </p>
            )}
          </div>
        </li>
      </ol>
      <p className="key-waiting" data-testid="key-waiting">
        <Icon name="clock" size={16} />
        {waitingForBalance > 0
          ? `${waitingForBalance === 1 ? '1 job is' : `${plural(waitingForBalance, 'job')} are`} waiting for your FAL balance to be topped up. Once it is, press Test key: when it passes, they go on by themselves.`
          : waiting === 1
          ? '1 job is waiting for a key. It starts by itself as soon as the key works; nothing has to be added again.'
          : waiting > 1
            ? `${plural(waiting, 'job')} are waiting for a key. They start by themselves as soon as the key works; nothing has to be added again.`
            : 'Jobs that need a key wait in the queue and start by themselves as soon as a working key is saved.'}
      </p>

      {confirmWeak !== null && (
        <ConfirmDialog title="Save the key with weak protection?" confirmLabel="Save anyway" tone="caution" onConfirm={() => save(true)} onClose={() => setConfirmWeak(null)}>
          <p>{confirmWeak || 'This system has no keychain to encrypt the key with.'}</p>
          <p>
            The key would be stored obfuscated, not encrypted. The safer choice is to set the FAL_KEY environment variable instead, or to install a
            keyring (for example GNOME Keyring or KWallet).
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
