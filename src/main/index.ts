// Electron entry: lifecycle only. Everything with logic lives in src/core (tested under Node) or in
// small src/main modules tested with a mocked electron.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, powerMonitor } from 'electron';
import { createAppCore, type AppCore } from '../core/app-core';
import { resolveDataDir } from '../core/paths';
import { dataFolderMissingMessage, forgetDataFolder, knownFoldersFile, missingDataFolder } from '../core/data-folder-record';
import { APP_VERSION } from '../core/version';
import { redactAll } from '../core/keys/format';
import { createFileRouteStore } from '../core/keys/route-store';
import type { EventSink } from '../shared/contract';
import { sqliteBindingPath, resourceFile, type AppLocation } from './app-paths';
import { openExternalIfAllowed } from './external';
import { createEventSink, registerChosenPathChannel, registerIpcHandlers } from './ipc';
import { watchJobs } from './job-feedback';
import { BILLING_KEY_VAULT, createElectronKeyVault } from './key-vault';
import { createLogger } from './logger';
import { installAppMenu } from './menu';
import { createElectronPlatform } from './platform';
import { FILE_BASE_URL, registerFileScheme, serveLibraryFiles, serveRenderer } from './protocol';
import { blockRemoteRequests, denyAllPermissions, lockDownContents, rendererRoot } from './security';
import { createElectronSettingsStore } from './settings-store';
import { createMainWindow } from './window';
import { createWindowStateKeeper, type WindowStateKeeper } from './window-state';

const APP_NAME = 'Image2Model';

// Share one data folder with the CLI; IMAGE2MODEL_DATA_DIR points both somewhere else (tests).
app.setPath('userData', resolveDataDir(null));
registerFileScheme();

/** Opens an allowlisted https link in the browser; anything else, or a failure, is only logged. */
const openLink = (url: string) => {
  openExternalIfAllowed(url).then(
    (opened) => {
      if (!opened) console.warn(`Refused to open a link outside the allowlist: ${url.slice(0, 200)}`);
    },
    (error: unknown) => console.warn('Could not open a link in the browser', error),
  );
};

// Every WebContents (the window, devtools, anything created later) gets the same lock-down.
app.on('web-contents-created', (_event, contents) => lockDownContents(contents, openLink));

const location = (): AppLocation => ({
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  appPath: app.getAppPath(),
  electronVersion: process.versions.electron ?? '',
  platform: process.platform,
  arch: process.arch,
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: AppCore | null = null;
  let mainWindow: BrowserWindow | null = null;
  let stopFeedback: (() => void) | null = null;
  let emit: EventSink | null = null;
  let windowState: WindowStateKeeper | null = null;

  const openWindow = (keeper: WindowStateKeeper): BrowserWindow => {
    const window = createMainWindow(keeper.placement(), resourceFile(location(), 'icon.png'));
    keeper.track(window);
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    return window;
  };

  const focusWindow = () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  app.on('second-instance', focusWindow);

  const start = async () => {
    denyAllPermissions();
    blockRemoteRequests();
    const dataDir = app.getPath('userData');
    // A data folder that held the library and is missing now is not made anew empty unasked.
    const knownFolders = { file: knownFoldersFile(), startFresh: '' };
    const missing = missingDataFolder(dataDir, knownFolders.file);
    if (missing) {
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        title: APP_NAME,
        message: 'The data folder is missing',
        detail: dataFolderMissingMessage(
          missing,
          'To use another folder, start Image2Model with IMAGE2MODEL_DATA_DIR set to it. To start with an empty library in that place instead, choose Start Empty.',
        ),
        buttons: ['Quit', 'Start Empty'],
        defaultId: 0,
        cancelId: 0,
      });
      if (response !== 1) {
        app.exit(0);
        return;
      }
      forgetDataFolder(dataDir, knownFolders.file);
    }
    const keys = createElectronKeyVault(dataDir);
    const billingKeys = createElectronKeyVault(dataDir, BILLING_KEY_VAULT);
    const logger = createLogger(join(dataDir, 'logs'), { secrets: () => [...keys.secrets(), ...billingKeys.secrets()] });
    logger.info(`${APP_NAME} ${APP_VERSION} starting (Electron ${process.versions.electron}, ${process.platform}-${process.arch})`);

    // better-sqlite3 must be the build for Electron's ABI, not node_modules' Node build (see README).
    const binding = sqliteBindingPath(location());
    if (!existsSync(binding)) {
      logger.error(`SQLite driver for Electron not found at ${binding}`);
      dialog.showErrorBox(
        `${APP_NAME} cannot start`,
        app.isPackaged
          ? 'A part of the app is missing (the SQLite driver). Please reinstall Image2Model.'
          : `The SQLite driver for Electron is missing:\n${binding}\n\nRun "npm start" (or "node scripts/electron-native.mjs") to build it.`,
      );
      app.exit(1);
      return;
    }
    process.env.IMAGE2MODEL_SQLITE_BINDING = binding;

    const settings = createElectronSettingsStore(dataDir);
    for (const warning of settings.warnings()) logger.warn(`Settings: ${warning}`);
    windowState = createWindowStateKeeper(dataDir);
    const platform = createElectronPlatform({
      getWindow: () => mainWindow,
      dragIconPath: resourceFile(location(), 'drag-icon.png'),
    });
    core = createAppCore({
      dataDir,
      knownFolders,
      keys,
      billingKeys,
      settings,
      platform,
      logger,
      // Written only after the native confirmation dialog (proxy:set); never by settings:set.
      route: createFileRouteStore(join(dataDir, 'fal-route.json')),
      // The sample photos ("Try a sample") ship as resources/samples/<id>.jpg.
      samplesDir: resourceFile(location(), 'samples'),
      appInfo: {
        name: APP_NAME,
        version: APP_VERSION,
        dataDir,
        fileBaseUrl: FILE_BASE_URL,
        platform: process.platform,
        transport: 'electron',
      },
    });
    serveLibraryFiles(core.resolveFile);
    serveRenderer(rendererRoot());
    registerIpcHandlers(core.dispatch, (message, detail) => logger.error(message, detail));
    registerChosenPathChannel(core.chosenPaths);
    installAppMenu({
      isMac: process.platform === 'darwin',
      isDev: !app.isPackaged,
      appName: APP_NAME,
      command: (command) => emit?.('app:command', { command }),
      openLink,
    });

    mainWindow = openWindow(windowState);
    const warnings = settings.warnings();
    if (warnings.length > 0) {
      // Visible, not only logged: the user should know their settings changed.
      mainWindow.once('ready-to-show', () => {
        if (!mainWindow) return;
        void dialog.showMessageBox(mainWindow, {
          type: 'warning',
          title: 'Settings reset',
          message: 'Some settings could not be read and were reset to their defaults.',
          detail: warnings.join('\n'),
        });
      });
    }

    emit = createEventSink(() => BrowserWindow.getAllWindows().map((w) => w.webContents));
    stopFeedback = watchJobs({
      engine: core.engine,
      platform,
      notificationsEnabled: () => settings.get().notifications,
      focusWindow,
      openModel: (id) => {
        focusWindow();
        emit?.('app:command', { command: 'open-model', id });
      },
      redact: (text) => redactAll(text, [...keys.secrets(), ...billingKeys.secrets()]),
    });
    await core.start(emit);
    // The machine shutting down may end this process before before-quit's stop() finishes (Windows
    // sends no before-quit at all): jobs armed for their slot are given back at once, synchronously,
    // or the next boot would take them for "may have been sent" (engine/fal-steps.ts).
    const onShutdown = () => {
      const released = core?.releaseUnsentNow() ?? 0;
      if (released > 0) logger.info(`Shutting down: ${released} job(s) waiting to be sent go back to the queue`);
    };
    powerMonitor.on('shutdown', onShutdown); // Linux, macOS
    app.on('browser-window-created', (_event, window) => window.on('session-end', onShutdown)); // Windows
    for (const window of BrowserWindow.getAllWindows()) window.on('session-end', onShutdown);
    logger.info('Ready');
  };

  app.whenReady().then(start).catch((error: unknown) => {
    console.error('Image2Model failed to start', error);
    dialog.showErrorBox(`${APP_NAME} failed to start`, error instanceof Error ? error.message : String(error));
    app.exit(1);
  });

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open brings one back.
    if (core && windowState && !mainWindow) mainWindow = openWindow(windowState);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quitting while jobs run loses nothing: stop claiming, release leases; FAL keeps running what was
  // submitted and the next start follows those requests by their stored ids.
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping || !core) return;
    stopping = true;
    event.preventDefault();
    stopFeedback?.();
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setProgressBar(-1);
    void core.stop().finally(() => app.quit());
  });
}
