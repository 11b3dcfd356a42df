// The same settings suite as the JSON file store, against the real electron-store (electron mocked).
import { join } from 'node:path';
import { vi } from 'vitest';
import { describeSettingsStore } from '../core/settings/store-contract';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { createElectronSettingsStore, SETTINGS_FILE_NAME } = await import('../../src/main/settings-store');

describeSettingsStore('electron-store', {
  open: (dir) => createElectronSettingsStore(dir),
  file: (dir) => join(dir, `${SETTINGS_FILE_NAME}.json`),
});
