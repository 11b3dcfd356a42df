// Window and session hardening from Electron's security checklist. The decisions are small exported
// functions so they are unit-tested with a mocked electron (test/main/security.test.ts).
import { app, session, type Session, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { RENDERER_URL } from './protocol';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * In development the page comes from Vite's dev server (ELECTRON_RENDERER_URL, set by electron-vite).
 * A packaged app ignores it, and only a loopback http(s) address is ever accepted.
 */
export function devServerUrl(env: NodeJS.ProcessEnv = process.env, isPackaged: boolean = app.isPackaged): string | undefined {
  const raw = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !raw) return undefined;
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname) ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The built renderer folder (out/renderer next to out/main), served as app://renderer/. */
export const rendererRoot = (): string => join(fileURLToPath(new URL('.', import.meta.url)), '../renderer');

/** The only page allowed to load in our window and to call IPC: the built renderer (or the dev server). */
export function isTrustedRendererUrl(url: string, dev: string | undefined = devServerUrl()): boolean {
  if (typeof url !== 'string' || url === '') return false;
  if (dev) {
    try {
      if (new URL(url).origin === new URL(dev).origin) return true;
    } catch {
      return false;
    }
  }
  return url.split('#')[0]!.split('?')[0] === RENDERER_URL;
}

/**
 * Every navigation away from our page, every redirect, every <webview> and every new window is denied;
 * a window.open / target=_blank link to an allowlisted https host opens in the user's browser instead.
 */
export function lockDownContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    // Subframes have no business here (the CSP also says frame-src 'none').
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * No permission (camera, microphone, geolocation, notifications prompt, HID/USB/serial, screen capture,
 * ...) is ever granted to web content, and nothing is downloaded through the page (exports go through main).
 */
export function denyAllPermissions(target: Session = session.defaultSession): void {
  target.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
  target.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  target.on('will-download', (event) => event.preventDefault());
}

/** URL patterns of every request that would leave the machine (or reach a local server). */
export const NETWORK_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

/**
 * No remote content, enforced below the CSP: the page's session may not make any http(s)/ws(s)
 * request at all, except to the dev server while developing. FAL is called by the main process
 * through Node's own HTTP stack, which this does not touch.
 */
export function blockRemoteRequests(target: Session = session.defaultSession, dev: string | undefined = devServerUrl()): void {
  const devOrigin = dev ? new URL(dev).origin : null;
  target.webRequest.onBeforeRequest({ urls: NETWORK_URL_PATTERNS }, (details, callback) => {
    let allowed = false;
    try {
      allowed = devOrigin !== null && new URL(details.url.replace(/^ws/, 'http')).origin === devOrigin;
    } catch {
      allowed = false;
    }
    callback({ cancel: !allowed });
  });
}

