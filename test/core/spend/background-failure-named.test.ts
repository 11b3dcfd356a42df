// The platform's background work (the spend read after a billing key is saved and every 5 minutes, the
// price refresh, the settling of possible charges) is awaited by nobody: a failure is only a log line.
// It said just "Error: <message>" - nothing told which work had failed. It names the work now.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createFalPlatform, type FalPlatform } from '../../../src/core/fal-platform';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';

let platform: FalPlatform | undefined;
let dir: string | undefined;
afterEach(async () => {
  await platform?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  platform = dir = undefined;
});

it("a background spend read that fails logs which work failed, with the error's message", async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-quiet-named-'));
  const warnings: string[] = [];
  let settingsBroken = false;
  platform = createFalPlatform({
    dataDir: dir,
    keys: createMemoryKeyVault({}),
    billingKeys: createMemoryKeyVault({ FAL_ADMIN_KEY: 'admin-key-abcdef123456' }, 'FAL_ADMIN_KEY'),
    settings: () => {
      if (settingsBroken) throw new Error('settings could not be read (disk I/O error)');
      return DEFAULT_SETTINGS;
    },
    logger: { info: () => undefined, warn: (message) => warnings.push(message) },
    wake: () => undefined,
  });
  settingsBroken = true;

  platform.syncSpendInBackground();
  await platform.stop(); // waits for the work it started
  platform = undefined;

  expect(warnings).toEqual(['spend: reading what FAL charged failed: settings could not be read (disk I/O error)']);
});
