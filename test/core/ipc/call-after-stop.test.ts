// A window still open while the app quits (Electron's before-quit, a browser tab when the bridge
// closes) can still call: cost:summary then read the spend tracker's closed database, and the log got
// "Handler for cost:summary failed TypeError: The database connection is not open" with its stack.
// Once stop() began, every call is answered plainly - nothing read or changed, nothing logged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../src/core/app-core';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function appCore(errors: string[]): AppCore {
  dir = mkdtempSync(join(tmpdir(), 'i2m-call-after-stop-'));
  const dataDir = join(dir, 'data');
  return createAppCore({
    dataDir,
    keys: createMemoryKeyVault({}),
    settings: createFileSettingsStore(join(dataDir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: (message) => void errors.push(message) },
  });
}

it('a call once the app is stopping is answered "the app is closing", not an internal error in the log', async () => {
  const errors: string[] = [];
  const core = appCore(errors);
  await core.start(() => {});
  expect(await core.dispatch('cost:summary', undefined)).toMatchObject({ ok: true });

  const stopped = core.stop();
  // Asked while stopping and after: the same plain answer, for a read and for a change.
  for (const [channel, input] of [['cost:summary', undefined], ['settings:set', { concurrency: 3 }]] as const) {
    expect(await core.dispatch(channel, input)).toEqual({ ok: false, error: { code: 'closing', message: expect.stringMatching(/^The app is closing/) } });
  }
  await stopped;
  expect(await core.dispatch('cost:summary', undefined)).toMatchObject({ ok: false, error: { code: 'closing' } });
  expect(await core.dispatch('settings:get', undefined)).toMatchObject({ ok: false, error: { code: 'closing' } });
  expect(errors).toEqual([]);
  // A second stop (a transport closing after the app's own quit) waits for the same one.
  await expect(core.stop()).resolves.toBeUndefined();
});
