// Saving a billing key starts a spend read that nobody waits for. One that threw (a settings or database
// read failing) was an unhandled rejection - in Electron's main process an error dialog, under Node a
// crash - instead of a line in the log like the 5-minute timer's failing reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createFalPlatform, type FalPlatform } from '../../../src/core/fal-platform';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createPlatformHandlers } from '../../../src/core/platform-handlers';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';

let platform: FalPlatform | undefined;
let dir: string | undefined;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
afterEach(async () => {
  await platform?.stop();
  process.off('unhandledRejection', onRejection);
  if (dir) rmSync(dir, { recursive: true, force: true });
  platform = dir = undefined;
  rejections.length = 0;
});

it('billingKey:set whose spend read throws logs the failure, with no unhandled rejection', async () => {
  process.on('unhandledRejection', onRejection);
  dir = mkdtempSync(join(tmpdir(), 'i2m-billing-set-'));
  const warnings: string[] = [];
  let settingsBroken = false;
  platform = createFalPlatform({
    dataDir: dir,
    keys: createMemoryKeyVault({}),
    billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
    settings: () => {
      if (settingsBroken) throw new Error('settings could not be read (disk I/O error)');
      return DEFAULT_SETTINGS;
    },
    logger: { info: () => undefined, warn: (message) => warnings.push(message) },
    wake: () => undefined,
  });
  const handlers = createPlatformHandlers(platform, createFileSettingsStore(join(dir, 'settings.json')));
  settingsBroken = true;

  const status = await handlers['billingKey:set']({ key: 'admin-key-abcdef123456', allowWeak: false });

  expect(status.set).toBe(true);
  // stop() waits for the read it started; a rejection nobody handled is reported once the microtasks ran.
  await platform.stop();
  platform = undefined;
  await new Promise((resolve) => setImmediate(resolve));
  expect(rejections).toEqual([]);
  expect(warnings.join('\n')).toContain('settings could not be read (disk I/O error)');
});
