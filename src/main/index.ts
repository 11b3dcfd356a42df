// Electron entry: lifecycle only. Everything with logic lives in src/core and is tested under Node.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createAppCore, type AppCore } from '../core/app-core';
import { resolveDataDir } from '../core/paths';
import { APP_VERSION } from '../core/version';
import { DEFAULT_EXTERNAL_ALLOWLIST } from '../core/services';
import { createEventSink, registerIpcHandlers } from './ipc';
import { denyAllPermissions } from './security';
import { createMainWindow } from './window';
import { createElectronPlatform } from './platform';
import { createElectronKeyVault } from './key-vault';
import { createElectronSettingsStore } from './settings-store';
import { registerFileProtocol, registerFileScheme, FILE_BASE_URL } from './protocol';
import { createLogger } from './logger';

// Share one data folder with the CLI; IMAGE2MODEL_DATA_DIR points both somewhere else (tests).
app.setPath('userData', resolveDataDir(null));
registerFileScheme();

const allowExternal = (url: string) => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && (DEFAULT_EXTERNAL_ALLOWLIST as readonly string[]).includes(parsed.hostname);
  } catch {
    return false;
  }
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: AppCore | null = null;
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.whenReady().then(async () => {
    denyAllPermissions();
    const dataDir = app.getPath('userData');
    const logger = createLogger(join(dataDir, 'logs'));
    const settings = createElectronSettingsStore(dataDir);
    const keys = createElectronKeyVault(dataDir);
    const platform = createElectronPlatform(() => mainWindow);
    core = createAppCore({
      dataDir,
      keys,
      settings,
      platform,
      logger,
      appInfo: {
        name: 'Image2Model',
        version: APP_VERSION,
        dataDir,
        fileBaseUrl: FILE_BASE_URL,
        platform: process.platform,
        transport: 'electron',
      },
    });
    registerFileProtocol(core.resolveFile);
    registerIpcHandlers(core.dispatch);
    mainWindow = createMainWindow({ width: 1280, height: 820 }, allowExternal);
    await core.start(createEventSink(() => BrowserWindow.getAllWindows().map((w) => w.webContents)));
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Leave jobs resumable: stop claiming, release leases; FAL keeps running what was submitted.
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping || !core) return;
    stopping = true;
    event.preventDefault();
    void core.stop().finally(() => app.quit());
  });
}
