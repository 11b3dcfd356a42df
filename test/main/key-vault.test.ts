// The Electron key vault with a fake safeStorage (real byte transformation, backend switch, keyring
// change) and the real electron-store writing into a temp folder.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/shared/result';
import { KeyStatusSchema } from '../../src/shared/domain';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { createElectronKeyVault, storageBackend } = await import('../../src/main/key-vault');

const KEY = 'abc12345-6789:0123456789abcdef0123456789abcdef';
let dir: string;

const open = (env: NodeJS.ProcessEnv = {}, platform: NodeJS.Platform = 'linux') => createElectronKeyVault(dir, { env, platform });
const filesText = () => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-vault-'));
  Object.assign(fake.safeStorage, { available: true, backend: 'gnome_libsecret', keyringSecret: 'keyring-secret-1' });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Electron key vault', () => {
  it('stores the key encrypted and reads it back after a restart', () => {
    const status = open().set(`  ${KEY}\n`);
    expect(KeyStatusSchema.parse(status)).toEqual({
      set: true,
      last4: 'cdef',
      source: 'stored',
      backend: 'gnome_libsecret',
      needsReentry: false,
      weakProtection: false,
    });
    // On disk: neither the key nor its secret half, in any form we would write by mistake.
    const disk = filesText();
    expect(disk).not.toContain(KEY);
    expect(disk).not.toContain(KEY.split(':')[1]);
    expect(disk).not.toContain(Buffer.from(KEY).toString('base64'));

    const again = open();
    expect(again.get()).toBe(KEY);
    expect(again.status()).toMatchObject({ set: true, source: 'stored', last4: 'cdef' });
  });

  it('refuses keys that are too short or contain whitespace, and stores nothing', () => {
    const vault = open();
    expect(codeOf(() => vault.set('short'))).toBe('invalid_input');
    expect(codeOf(() => vault.set('abcdefghij klmnop'))).toBe('invalid_input');
    expect(codeOf(() => vault.set('abcdefgh\tijklmnop'))).toBe('invalid_input');
    expect(vault.status().set).toBe(false);
    expect(open().get()).toBeNull();
  });

  it('accepts FAL_KEY from the environment; a stored key takes precedence until cleared', () => {
    const envKey = 'env-key-0123456789';
    const vault = open({ FAL_KEY: `${envKey}\n` });
    expect(vault.status()).toMatchObject({ set: true, source: 'environment', last4: '6789' });
    expect(vault.get()).toBe(envKey);
    vault.set(KEY);
    expect(vault.get()).toBe(KEY);
    expect(vault.status().source).toBe('stored');
    const cleared = vault.clear();
    expect(cleared).toMatchObject({ set: true, source: 'environment' });
    expect(vault.get()).toBe(envKey);
    expect(open().status()).toMatchObject({ set: false, source: null });
  });

  it('does not use a FAL_KEY with an invisible character, says why in its status, and still hides it from logs', () => {
    // A zero-width space copied along with the key: every FAL call would fail as a broken connection.
    const pasted = 'env-key-0123456789\u200b';
    const vault = open({ FAL_KEY: pasted });
    expect(vault.get()).toBeNull();
    const status = vault.status();
    expect(status).toMatchObject({ set: false, source: null });
    expect(status.envProblem).toMatch(/^FAL_KEY \(from the environment\) is not used: it contains an invisible or unusual character/);
    expect(status.envProblem).not.toContain('0123456789');
    expect(vault.secrets()).toContain(pasted);
    // A key saved in Settings still works, and the problem stays said.
    vault.set(KEY);
    expect(vault.get()).toBe(KEY);
    expect(open({ FAL_KEY: 'env-key-0123456789' }).status().envProblem).toBeUndefined();
  });

  it("asks for confirmation on Linux's basic_text backend and stores only with allowWeak", () => {
    fake.safeStorage.backend = 'basic_text';
    const vault = open();
    expect(vault.status()).toMatchObject({ backend: 'basic_text', weakProtection: true, set: false });
    expect(codeOf(() => vault.set(KEY))).toBe('confirmation_required');
    expect(vault.get()).toBeNull();
    const status = vault.set(KEY, { allowWeak: true });
    expect(status).toMatchObject({ set: true, source: 'stored', weakProtection: true });
    expect(open().get()).toBe(KEY);
  });

  it('refuses to store when no encryption is available and says to use FAL_KEY', () => {
    fake.safeStorage.available = false;
    const vault = open();
    expect(vault.status().backend).toBe('none');
    let message = '';
    try {
      vault.set(KEY);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('unsupported');
      message = (error as AppError).message;
    }
    expect(message).toMatch(/FAL_KEY/);
  });

  it('asks for the key again when the stored one no longer decrypts, without throwing', () => {
    open().set(KEY);
    // Another keyring (new login, other machine): the ciphertext is now unreadable.
    fake.safeStorage.keyringSecret = 'keyring-secret-2';
    const vault = open();
    expect(() => vault.status()).not.toThrow();
    expect(vault.status()).toMatchObject({ set: false, needsReentry: true, source: null, last4: null });
    expect(vault.get()).toBeNull();

    // With FAL_KEY set, the app keeps working on it while still asking for re-entry.
    expect(open({ FAL_KEY: 'env-key-0123456789' }).status()).toMatchObject({ set: true, source: 'environment', needsReentry: true });

    const fixed = vault.set(KEY);
    expect(fixed).toMatchObject({ set: true, needsReentry: false, source: 'stored' });
    expect(open().get()).toBe(KEY);
  });

  it('survives a damaged vault file', () => {
    writeFileSync(join(dir, 'key-vault.json'), '{ not json');
    const vault = open();
    expect(vault.status()).toMatchObject({ set: false, needsReentry: false });
    vault.set(KEY);
    expect(open().get()).toBe(KEY);
  });

  it('treats a stored value that is not a ciphertext as needing re-entry', () => {
    writeFileSync(join(dir, 'key-vault.json'), JSON.stringify({ encryptedKey: 'bm90IGEgY2lwaGVydGV4dA==' }));
    expect(open().status()).toMatchObject({ set: false, needsReentry: true });
  });

  it('remembers every key it has held, for the logger to redact', () => {
    const vault = open({ FAL_KEY: 'env-key-0123456789' });
    vault.set(KEY);
    vault.set('second-key-abcdefghij');
    expect(vault.secrets()).toEqual(expect.arrayContaining(['env-key-0123456789', KEY, 'second-key-abcdefghij']));
  });

  it('names the backend per platform', () => {
    expect(storageBackend(stub(true, 'x'), 'darwin')).toBe('keychain');
    expect(storageBackend(stub(true, 'x'), 'win32')).toBe('dpapi');
    expect(storageBackend(stub(true, 'kwallet5'), 'linux')).toBe('kwallet5');
    expect(storageBackend(stub(false, 'basic_text'), 'linux')).toBe('none');
  });
});

function stub(available: boolean, backend: string) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend as ReturnType<typeof import('electron').safeStorage.getSelectedStorageBackend>,
    encryptString: () => Buffer.alloc(0),
    decryptString: () => '',
  };
}

describe('key channels over the Electron vault, against the fake FAL server', () => {
  it('sets, tests (accepted / rejected), reports status without the key, and clears', async () => {
    const { startFakeFal } = await import('../fake-fal/server');
    const { createHandlers } = await import('../../src/core/services');
    const { createDispatcher } = await import('../../src/core/ipc/dispatch');
    const { createFileSettingsStore } = await import('../../src/core/settings/file-store');
    const { createHeadlessPlatform } = await import('../../src/core/platform');
    const { createMemoryRouteStore } = await import('../../src/core/keys/route-store');
    const fakeFal = await startFakeFal({ acceptedKeys: [KEY] });
    try {
      const settings = createFileSettingsStore(join(dir, 'settings.json'));
      let keyChanges = 0;
      const engine = { keyChanged: () => keyChanges++ } as unknown as Parameters<typeof createHandlers>[0]['engine'];
      const dispatch = createDispatcher(
        createHandlers({
          engine,
          keys: open(),
          settings,
          platform: createHeadlessPlatform(),
          appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'i2m://library/', platform: 'linux', transport: 'electron' },
          route: createMemoryRouteStore({ proxyUrl: fakeFal.url, sendKeyToProxy: true }),
        }),
      );
      const seen: unknown[] = [];
      const run = async (channel: string, input?: unknown) => {
        const result = await dispatch(channel, input);
        seen.push(result);
        return result;
      };
      expect(await run('key:test')).toMatchObject({ ok: true, data: { result: 'no_key' } });
      expect(await run('key:set', { key: `  ${KEY}  ` })).toMatchObject({ ok: true, data: { set: true, last4: 'cdef', source: 'stored' } });
      expect(await run('key:test')).toMatchObject({ ok: true, data: { result: 'accepted' } });
      expect(await run('key:set', { key: 'wrong-key-0123456789' })).toMatchObject({ ok: true });
      expect(await run('key:test')).toMatchObject({ ok: true, data: { result: 'rejected' } });
      expect(await run('key:set', { key: 'bad key with spaces' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(await run('key:clear')).toMatchObject({ ok: true, data: { set: false } });
      // Each key saved or cleared, and the test FAL accepted (it lifts a refusal: a topped-up balance's jobs go on).
      expect(keyChanges).toBe(4);
      const text = JSON.stringify(seen);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('wrong-key-0123456789');
      // FAL did see both keys: the probe is a real authenticated call.
      expect(fakeFal.requests.map((r) => r.authorization)).toEqual([`Key ${KEY}`, 'Key wrong-key-0123456789']);
    } finally {
      await fakeFal.close();
    }
  });
});
