// Window and session hardening from Electron's security checklist.
import { session, shell, type BrowserWindow, type WebContents } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

/** In development the page comes from Vite's dev server; in production from the packaged file. */
export const devServerUrl = (): string | undefined => process.env.ELECTRON_RENDERER_URL;
export const rendererFileUrl = (): string => pathToFileURL(join(fileURLToPath(new URL('.', import.meta.url)), '../renderer/index.html')).toString();

export function isTrustedRendererUrl(url: string): boolean {
  const dev = devServerUrl();
  if (dev && url.startsWith(new URL(dev).origin + '/')) return true;
  return url.split('#')[0]!.split('?')[0] === rendererFileUrl();
}

/** Every navigation and new window is denied; https links on the allowlist open in the browser. */
export function lockDownContents(contents: WebContents, allowExternal: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (allowExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** No permission (camera, notifications prompt, geolocation, ...) is ever granted to the page. */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function hardenWindow(window: BrowserWindow, allowExternal: (url: string) => boolean): void {
  lockDownContents(window.webContents, allowExternal);
}
