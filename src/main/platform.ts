// Electron's implementation of the Platform capabilities (dialogs, shell, notifications, drag-out).
import { app, BrowserWindow, dialog, Notification, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Platform } from '../core/platform';

const here = fileURLToPath(new URL('.', import.meta.url));
const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'avif'];

export function createElectronPlatform(getWindow: () => BrowserWindow | null): Platform {
  const withWindow = <T>(fn: (w: BrowserWindow) => T, fallback: T): T => {
    const window = getWindow();
    return window && !window.isDestroyed() ? fn(window) : fallback;
  };
  return {
    kind: 'electron',
    async chooseImages() {
      const window = getWindow();
      const options: Electron.OpenDialogOptions = {
        title: 'Choose images',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Images', extensions: IMAGE_EXTENSIONS }],
      };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async chooseSavePath(defaultName, format) {
      const window = getWindow();
      const options: Electron.SaveDialogOptions = {
        title: 'Export model',
        defaultPath: join(app.getPath('documents'), defaultName),
        filters: [{ name: format.toUpperCase(), extensions: [format] }],
      };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async revealInFolder(path) {
      shell.showItemInFolder(path);
    },
    async openWithDefaultApp(path) {
      const error = await shell.openPath(path);
      if (error) throw new Error(error);
    },
    async openExternal(url) {
      await shell.openExternal(url);
    },
    async startDrag(path) {
      withWindow((w) => w.webContents.startDrag({ file: path, icon: join(here, '../../resources/drag-icon.png') }), undefined);
    },
    notify(title, body, onClick) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title, body, silent: false });
      if (onClick) notification.on('click', onClick);
      notification.show();
    },
    setProgress(fraction, running) {
      withWindow((w) => w.setProgressBar(fraction === null ? -1 : Math.max(0, Math.min(1, fraction))), undefined);
      if (process.platform === 'darwin') app.dock?.setBadge(running > 0 ? String(running) : '');
      else app.setBadgeCount(running);
    },
  };
}
