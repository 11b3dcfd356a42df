// The one app window, created with every security preference on.
import { BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { devServerUrl, hardenWindow, rendererFileUrl } from './security';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export function createMainWindow(bounds: WindowBounds, allowExternal: (url: string) => boolean): BrowserWindow {
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 820,
    minHeight: 560,
    show: false,
    title: 'Image2Model',
    backgroundColor: '#14161a',
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
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWindow(window, allowExternal);
  window.once('ready-to-show', () => window.show());
  const dev = devServerUrl();
  if (dev) void window.loadURL(dev);
  else void window.loadURL(rendererFileUrl());
  return window;
}
