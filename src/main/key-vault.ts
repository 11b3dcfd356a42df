// The FAL key, encrypted with the OS keychain through safeStorage and kept in electron-store.
// The renderer only ever learns {set, last4, source, backend}; FAL_KEY from the environment also works.
import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { KeyStatus } from '../shared/domain';
import { AppError } from '../shared/result';
import { last4, normalizeKey, readEnvKey } from '../core/keys/format';
import type { KeyVault } from '../core/services-types';

interface VaultShape {
  encryptedKey?: string;
  /** The backend that encrypted it, to explain a key that no longer decrypts. */
  backend?: string;
}

export type SafeStorageLike = Pick<typeof safeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

export interface ElectronKeyVaultOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  safeStorage?: SafeStorageLike;
  /** File name of the encrypted store (default 'key-vault'; the billing key uses its own). */
  storeName?: string;
  /** Environment variable that also provides the key (default FAL_KEY). */
  envVar?: string;
}

/** The optional admin key for real spend and the balance: same vault and rules, its own file. */
export const BILLING_KEY_VAULT = { storeName: 'billing-key-vault', envVar: 'FAL_ADMIN_KEY' } as const;

export interface ElectronKeyVault extends KeyVault {
  /** Every key this process has known (stored, environment, replaced): what the logger must hide. */
  secrets(): string[];
}

export const WEAK_PROTECTION_MESSAGE =
  'No system keyring was found, so the key would only be obfuscated on disk, not truly encrypted: anyone who can read your files could recover it. Confirm to store it anyway, or set FAL_KEY in the environment instead.';

/** 'keychain' (macOS), 'dpapi' (Windows), the Linux backend ('gnome_libsecret', 'kwallet5', 'basic_text'...), or 'none'. */
export function storageBackend(storage: SafeStorageLike, platform: NodeJS.Platform): string {
  if (!storage.isEncryptionAvailable()) return 'none';
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  if (platform === 'linux') return storage.getSelectedStorageBackend();
  return 'os';
}

export function createElectronKeyVault(dataDir: string, options: ElectronKeyVaultOptions = {}): ElectronKeyVault {
  const storage = options.safeStorage ?? safeStorage;
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const store = new Store<VaultShape>({ name: options.storeName ?? 'key-vault', cwd: dataDir, clearInvalidConfig: true });
  const fromEnv = readEnvKey(env, options.envVar ?? 'FAL_KEY');
  const envKey = fromEnv.key;
  // Hidden from logs even when it is not used (a key with a stray character is still a secret).
  const known = new Set<string>(fromEnv.raw ? [fromEnv.raw] : []);
  // Decrypting can prompt the OS keyring; do it once per stored value.
  let cache: { encrypted: string; key: string | null } | null = null;

  const readStored = (): { key: string | null; broken: boolean } => {
    let encrypted: string | undefined;
    try {
      encrypted = store.get('encryptedKey');
    } catch {
      encrypted = undefined;
    }
    if (typeof encrypted !== 'string' || encrypted === '') return { key: null, broken: false };
    if (cache?.encrypted !== encrypted) {
      let key: string | null = null;
      try {
        key = normalizeKey(storage.decryptString(Buffer.from(encrypted, 'base64')));
        known.add(key);
      } catch {
        // Another keyring, another machine, a damaged file: ask for the key again, never crash.
        key = null;
      }
      cache = { encrypted, key };
    }
    return { key: cache.key, broken: cache.key === null };
  };

  const status = (): KeyStatus => {
    const backend = storageBackend(storage, platform);
    const stored = readStored();
    const key = stored.key ?? envKey;
    return {
      set: key !== null,
      last4: key ? last4(key) : null,
      source: stored.key ? 'stored' : envKey ? 'environment' : null,
      backend,
      needsReentry: stored.broken,
      weakProtection: backend === 'basic_text',
      ...(fromEnv.problem !== null && { envProblem: fromEnv.problem }),
    };
  };

  return {
    status,
    get: () => readStored().key ?? envKey,
    set(input, opts) {
      const key = normalizeKey(input);
      const backend = storageBackend(storage, platform);
      if (backend === 'none') {
        throw new AppError('unsupported', 'This computer offers no secure storage for the key. Set FAL_KEY in the environment instead.');
      }
      if (backend === 'basic_text' && !opts?.allowWeak) throw new AppError('confirmation_required', WEAK_PROTECTION_MESSAGE);
      const encrypted = storage.encryptString(key).toString('base64');
      store.set({ encryptedKey: encrypted, backend });
      known.add(key);
      cache = { encrypted, key };
      return status();
    },
    clear() {
      store.delete('encryptedKey');
      store.delete('backend');
      cache = null;
      return status();
    },
    secrets: () => [...known],
  };
}
