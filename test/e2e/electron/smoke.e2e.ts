// Starts the real Electron app where its binary exists (users' and maintainers' machines). Here the
// binary cannot be downloaded, so the test reports itself skipped instead of pretending to pass.
// Needs the SQLite driver built for Electron (`npm start` or `node scripts/electron-native.mjs` once).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { CHANNEL_NAME_LIST } from '../../../src/shared/channel-names';
import { makeTestPng } from '../../fixtures/make-glb';
import { electronBinaryPath } from '../support/electron-binary';

const binary = electronBinaryPath();
if (!binary) console.log('skipped: Electron binary not available');

test.describe('Electron app', () => {
  let app: ElectronApplication | null = null;
  let dataDir = '';

  test.beforeEach(async () => {
    test.skip(!binary, 'skipped: Electron binary not available');
    dataDir = mkdtempSync(join(tmpdir(), 'i2m-electron-'));
    app = await electron.launch({
      executablePath: binary!,
      args: ['.'],
      env: { ...process.env, IMAGE2MODEL_DATA_DIR: dataDir, FAL_KEY: 'smoke-test-key-1234' },
    });
  });

  test.afterEach(async () => {
    await app?.close();
    app = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('starts sandboxed and shows app:info in its window', async () => {
    const window = await app!.firstWindow();
    await expect(window.getByTestId('app-data-dir')).toHaveText(dataDir);
    await expect(window.getByTestId('app-key')).toContainText('environment');
    const page = await window.evaluate(() => {
      const g = globalThis as Record<string, unknown>;
      return {
        require: typeof g.require,
        process: typeof g.process,
        ipcRenderer: typeof g.ipcRenderer,
        api: Object.keys((g.api as object) ?? {}).sort(),
      };
    });
    expect(page).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', api: [...CHANNEL_NAME_LIST, 'on'].sort() });
  });

  test('an added image becomes a job in the queue and a model (offline generator)', async () => {
    test.setTimeout(180_000);
    const window = await app!.firstWindow();
    const image = join(dataDir, '..', `i2m-smoke-${process.pid}.png`);
    writeFileSync(image, await makeTestPng(320, 320, { alpha: true, seed: 5 }));
    try {
      await window.getByTestId('model-select').selectOption('offline/relief');
      await window.getByTestId('file-input').setInputFiles(image);
      const row = window.locator('[data-testid="job-row"]', { hasText: 'i2m-smoke' });
      await expect(row).toHaveCount(1);
      // Reaching the end proves the SQLite driver, the engine and the library work inside Electron.
      await expect(row).toHaveAttribute('data-state', 'succeeded', { timeout: 150_000 });
    } finally {
      rmSync(image, { force: true });
    }
  });
});
