// The one app window, created with every security preference on. Navigation, new windows and
// permissions are locked down for every WebContents in index.ts (app 'web-contents-created').
// The preferences stay written out inline: scripts/security-scan.mjs (electronegativity) reads them here.
import { BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { RENDERER_URL } from './protocol';
import { devServerUrl } from './security';
import { MIN_SIZE, type WindowPlacement } from './window-bounds';

const here = fileURLToPath(new URL('.', import.meta.url));

export function createMainWindow(placement: WindowPlacement, icon?: string): BrowserWindow {
  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Image2Model',
    backgroundColor: '#14161a',
    ...(icon ? { icon } : {}),
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows without passing setWindowOpenHandler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(devServerUrl() ?? RENDERER_URL);
  return window;
}
