// Starts the real Electron app where its binary exists (users' and maintainers' machines). Here the
// binary cannot be downloaded, so the test reports itself skipped instead of pretending to pass.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinaryPath } from '../support/electron-binary';

const binary = electronBinaryPath();
if (!binary) console.log('skipped: Electron binary not available');

test('the Electron app starts and shows app:info in its window', async () => {
  test.skip(!binary, 'skipped: Electron binary not available');
  const dataDir = mkdtempSync(join(tmpdir(), 'i2m-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: ['.'],
    env: { ...process.env, IMAGE2MODEL_DATA_DIR: dataDir, FAL_KEY: 'smoke-test-key-1234' },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('app-data-dir')).toHaveText(dataDir);
    await expect(window.getByTestId('app-key')).toContainText('environment');
    const sandboxed = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require === 'undefined');
    expect(sandboxed).toBe(true);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
