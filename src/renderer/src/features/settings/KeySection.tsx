// The FAL key: status (last 4 characters and where it comes from, never the key), set, test, clear.
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import type { KeyApi } from '../../hooks/useKeyStatus';
import { useQueueState } from '../../hooks/useQueueState';
import { KeyGuide } from './KeyGuide';

export function KeySection({ keys }: { keys: KeyApi }) {
  const [confirmClear, setConfirmClear] = useState(false);
  const status = keys.status;
  // A saved key FAL refused is no "all set": the row says so instead of showing a check. A used-up
  // balance is no fault of the key: the row says to top up and test it, not to paste another.
  const queueStatus = useQueueState()?.status;
  const balanceUsedUp = queueStatus === 'balance_used_up' && status?.set === true;
  const rejected = (queueStatus === 'key_rejected' && status?.set === true) || balanceUsedUp;

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
        <div className={`key-status${rejected ? ' is-rejected' : status?.set ? ' is-set' : ''}`} data-testid="key-status">
          <div className="key-status-icon">
            <Icon name={rejected ? 'warning' : status?.set ? 'check' : 'key'} size={18} />
          </div>
          <div>
            <strong>
              {status === null
                ? 'Checking…'
                : status.set
                  ? `Key ending in ${status.last4 ?? '····'}${balanceUsedUp ? ': your FAL balance is used up' : rejected ? ': FAL rejected it' : ''}`
                  : 'No key set'}
            </strong>
            <p className="muted">
              {balanceUsedUp
                ? 'Top up at fal.ai/dashboard/billing, then press Test key below; waiting jobs go on once it passes.'
                : rejected
                ? 'Paste a working key below; waiting jobs start once it is accepted.'
                : status?.set
                  ? source
                  : 'Add a key to use Tripo, TRELLIS, Hunyuan3D and Rodin. The offline generator needs none.'}
            </p>
          </div>
          {status?.set && (
            <div className="key-status-actions">
              {status.source === 'stored' && (
                <button type="button" className="button button-small button-ghost" onClick={() => setConfirmClear(true)}>
                  Remove
                </button>
              )}
            </div>
          )}
        </div>

        {status?.envProblem && status.source !== 'stored' && (
          <div className="notice notice-warning" role="note" data-testid="key-env-problem">
            <Icon name="warning" size={16} />
            <p>{status.envProblem}</p>
          </div>
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

        <KeyGuide keys={keys} />
      </div>

      {confirmClear && (
        <ConfirmDialog
          title="Remove the saved key?"
          confirmLabel="Remove key"
          tone="danger"
          onConfirm={async () => {
            await keys.clear();
          }}
          onClose={() => setConfirmClear(false)}
        >
          <p>FAL jobs will wait until a key is set again. The offline generator keeps working.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
