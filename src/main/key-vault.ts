// The FAL key, encrypted with the OS keychain through safeStorage and kept in electron-store.
// The renderer only ever learns {set, last4, source, backend}.
import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { KeyStatus } from '../shared/domain';
import { AppError } from '../shared/result';
import { last4, normalizeKey } from '../core/keys/format';
import type { KeyVault } from '../core/services-types';

interface VaultShape {
  encryptedKey?: string;
  backend?: string;
}

function currentBackend(): string {
  if (process.platform !== 'linux') return safeStorage.isEncryptionAvailable() ? 'os' : 'none';
  return safeStorage.getSelectedStorageBackend();
}

export function createElectronKeyVault(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyVault {
  const store = new Store<VaultShape>({ name: 'key-vault', cwd: dataDir, clearInvalidConfig: true });
  const envKey = env.FAL_KEY?.trim() || null;

  const decryptStored = (): { key: string | null; broken: boolean } => {
    const encrypted = store.get('encryptedKey');
    if (!encrypted) return { key: null, broken: false };
    try {
      return { key: safeStorage.decryptString(Buffer.from(encrypted, 'base64')), broken: false };
    } catch {
      // The backend changed (new keyring, other machine): ask for the key again, never crash.
      return { key: null, broken: true };
    }
  };

  const status = (): KeyStatus => {
    const backend = currentBackend();
    const stored = decryptStored();
    const key = stored.key ?? envKey;
    return {
      set: key !== null,
      last4: key ? last4(key) : null,
      source: stored.key ? 'stored' : envKey ? 'environment' : null,
      backend,
      needsReentry: stored.broken,
      weakProtection: backend === 'basic_text',
    };
  };

  return {
    status,
    get: () => decryptStored().key ?? envKey,
    set(input, options) {
      const key = normalizeKey(input);
      if (!safeStorage.isEncryptionAvailable()) {
        throw new AppError('unsupported', 'This computer offers no secure storage for the key. Set FAL_KEY in the environment instead.');
      }
      if (currentBackend() === 'basic_text' && !options?.allowWeak) {
        throw new AppError(
          'confirmation_required',
          'No system keyring was found, so the key would only be obfuscated on disk, not truly encrypted. Confirm to store it anyway, or set FAL_KEY in the environment.',
        );
      }
      store.set('encryptedKey', safeStorage.encryptString(key).toString('base64'));
      store.set('backend', currentBackend());
      return status();
    },
    clear() {
      store.delete('encryptedKey');
      return status();
    },
  };
}
