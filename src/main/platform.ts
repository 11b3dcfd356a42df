// Electron's implementation of the Platform capabilities (dialogs, shell, notifications, drag-out,
// taskbar/dock progress).
import { app, dialog, nativeImage, Notification, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { Platform, ProxyConfirmRequest } from '../core/platform';
import { ACCEPTED_IMAGE_EXTENSIONS } from '../shared/image-formats';
import { AppError } from '../shared/result';
import { openExternalIfAllowed } from './external';


export interface ElectronPlatformOptions {
  getWindow: () => BrowserWindow | null;
  /** Image shown under the cursor while a model is dragged out (resources/drag-icon.png). */
  dragIconPath: string;
  /** Allowed hosts for links opened in the browser. */
  externalAllowlist?: readonly string[];
}

export function createElectronPlatform(options: ElectronPlatformOptions): Platform {
  const { getWindow } = options;
  const liveWindow = () => {
    const window = getWindow();
    return window && !window.isDestroyed() ? window : null;
  };
  let dragIcon: Electron.NativeImage | null = null;
  // Notifications must stay referenced until clicked or closed, or the click handler is collected.
  const shown = new Set<Notification>();
  return {
    kind: 'electron',
    async chooseImages() {
      const window = liveWindow();
      const options: Electron.OpenDialogOptions = {
        title: 'Choose images',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Images', extensions: [...ACCEPTED_IMAGE_EXTENSIONS] }],
      };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async chooseSavePath(defaultName, format) {
      const window = liveWindow();
      const options: Electron.SaveDialogOptions = {
        title: 'Export model',
        defaultPath: join(app.getPath('documents'), defaultName),
        filters: [{ name: format.toUpperCase(), extensions: [format] }],
      };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder(startIn, title) {
      const window = liveWindow();
      const options: Electron.OpenDialogOptions = {
        title: title ?? 'Choose the export folder',
        buttonLabel: 'Choose',
        // createDirectory: macOS's "New Folder" button; promptToCreate: Windows offers to make a typed one.
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
        ...(startIn ? { defaultPath: startIn } : {}),
      };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async revealInFolder(path) {
      shell.showItemInFolder(path);
    },
    async openWithDefaultApp(path) {
      const error = await shell.openPath(path);
      if (error) throw new AppError('io_error', `The model could not be opened: ${error}`);
    },
    async openExternal(url) {
      // Checked again here, so no caller can reach the OS with a URL off the allowlist.
      if (!(await openExternalIfAllowed(url, options.externalAllowlist))) {
        throw new AppError('invalid_input', 'That link is not opened by the app.');
      }
    },
    async startDrag(path) {
      const window = liveWindow();
      if (!window) return;
      dragIcon ??= nativeImage.createFromPath(options.dragIconPath);
      // An empty icon makes startDrag fail on macOS; a 1x1 placeholder keeps drag-out working.
      const icon = dragIcon.isEmpty() ? nativeImage.createFromDataURL('data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==') : dragIcon;
      window.webContents.startDrag({ file: path, icon });
    },
    notify(title, body, onClick) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title, body, silent: false });
      shown.add(notification);
      notification.on('click', () => {
        shown.delete(notification);
        onClick?.();
      });
      notification.on('close', () => shown.delete(notification));
      notification.show();
    },
    setProgress(fraction, running) {
      const window = liveWindow();
      window?.setProgressBar(fraction === null ? -1 : Math.max(0, Math.min(1, fraction)));
      if (process.platform === 'darwin') app.dock?.setBadge(running > 0 ? String(running) : '');
      else app.setBadgeCount(running); // Linux (Unity launchers) and Windows ignore it where unsupported.
    },
    async confirmProxy(request) {
      // A native dialog the page cannot draw, fake or click: the only way a proxy (and the key) changes.
      const window = liveWindow();
      const options = proxyDialogOptions(request);
      const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
      return result.response === PROXY_CONFIRM_BUTTON;
    },
  };
}

const PROXY_CONFIRM_BUTTON = 1;

/** The confirmation's text: names the host, says plainly whether the FAL key goes there. Cancel is the default. */
export function proxyDialogOptions(request: ProxyConfirmRequest): Electron.MessageBoxOptions {
  const where = request.url.startsWith('http:') ? `${request.host} (on this computer, unencrypted)` : request.host;
  return {
    type: 'warning',
    title: 'Use a FAL proxy?',
    message: request.sendKey
      ? `Send all FAL calls AND your FAL key to ${where}?`
      : `Send all FAL calls through ${where}?`,
    detail: request.sendKey
      ? `Whoever runs ${request.host} can use your FAL key and spend your FAL credit. Only continue if you run this proxy yourself or fully trust it.`
      : `Your FAL key is not sent; the proxy adds its own. Your images and models pass through ${request.host}. Only continue if you set this proxy up.`,
    buttons: ['Cancel', request.sendKey ? 'Use proxy and send key' : 'Use this proxy'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}
