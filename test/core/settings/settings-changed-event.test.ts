// Every window hears of a settings change, whoever made it (settings:changed): before, the app never
// sent the event, so a second window (another tab on the browser transport) kept showing - and making
// jobs with - the generator it loaded, after the user chose another one elsewhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { createAppCore, type AppCore } from '../../../src/core/app-core';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import type { Settings } from '../../../src/shared/settings';

let core: AppCore | null = null;
let dir: string | null = null;
afterEach(async () => {
  await core?.stop();
  core = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

test('a change made through settings:set reaches every window as settings:changed', async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-settings-event-'));
  const dataDir = join(dir, 'data');
  core = createAppCore({
    dataDir,
    keys: createMemoryKeyVault({}),
    settings: createFileSettingsStore(join(dataDir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  const told: Settings[] = [];
  await core.start((event, payload) => {
    if (event === 'settings:changed') told.push(payload as Settings);
  });

  const answer = await core.dispatch('settings:set', { defaultModel: 'offline/relief' });
  expect(answer.ok).toBe(true);
  expect(told).toHaveLength(1);
  expect(told[0]).toMatchObject({ defaultModel: 'offline/relief', defaultModelChosen: true });

  // A refused change tells nobody anything.
  const refused = await core.dispatch('settings:set', { outputFolder: join(dir, 'typed-in-the-page') });
  expect(refused.ok).toBe(false);
  expect(told).toHaveLength(1);
});
