// Window and session hardening, checked against a fake WebContents / Session (electron mocked).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fake, FakeBrowserWindow, FakeSession, FakeWebContents } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { blockRemoteRequests, denyAllPermissions, devServerUrl, isTrustedRendererUrl, lockDownContents, NETWORK_URL_PATTERNS } = await import('../../src/main/security');
const { RENDERER_URL } = await import('../../src/main/protocol');
const { isAllowedExternalUrl, openExternalIfAllowed } = await import('../../src/main/external');
const { createMainWindow } = await import('../../src/main/window');

const OWN_PAGE = RENDERER_URL;

afterEach(() => {
  fake.shell.openExternal.mockClear();
  fake.app.isPackaged = false;
});

describe('isTrustedRendererUrl', () => {
  it('trusts only the built renderer page', () => {
    expect(OWN_PAGE).toBe('app://renderer/index.html');
    expect(isTrustedRendererUrl(OWN_PAGE, undefined)).toBe(true);
    expect(isTrustedRendererUrl(`${OWN_PAGE}#/library`, undefined)).toBe(true);
    expect(isTrustedRendererUrl(`${OWN_PAGE}?x=1`, undefined)).toBe(true);
    for (const url of [
      OWN_PAGE.replace('index.html', 'other.html'),
      'file:///etc/passwd',
      // The page used to be a local file; that URL is no longer ours.
      `file://${process.cwd()}/out/renderer/index.html`,
      'app://elsewhere/index.html',
      'https://fal.ai/',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,hi',
      '',
      'javascript:alert(1)',
    ]) {
      expect(isTrustedRendererUrl(url, undefined), url).toBe(false);
    }
  });

  it('trusts the dev server origin only while developing, and only on loopback', () => {
    const dev = devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false);
    expect(dev).toBe('http://localhost:5173/');
    expect(isTrustedRendererUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost.evil.com:5173/', dev)).toBe(false);
    // A packaged app ignores the variable; a remote dev URL is never accepted.
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, false)).toBeUndefined();
    expect(devServerUrl({}, false)).toBeUndefined();
  });
});

describe('lockDownContents', () => {
  const locked = () => {
    const contents = new FakeWebContents();
    const opened: string[] = [];
    lockDownContents(contents as unknown as Electron.WebContents, (url) => opened.push(url));
    return { contents, opened };
  };

  it('denies navigation away from our page and allows reloading it', () => {
    const { contents } = locked();
    expect(contents.fire('will-navigate', {}, 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-navigate', {}, 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-navigate', {}, OWN_PAGE)).toBe(false);
  });

  it('denies every redirect, subframe navigation and <webview>', () => {
    const { contents } = locked();
    expect(contents.fire('will-redirect', {}, OWN_PAGE)).toBe(true);
    expect(contents.fire('will-attach-webview', {}, {}, {})).toBe(true);
    expect(contents.fire('will-frame-navigate', { isMainFrame: false, url: OWN_PAGE })).toBe(true);
    expect(contents.fire('will-frame-navigate', { isMainFrame: true, url: OWN_PAGE })).toBe(false);
  });

  it('denies every new window and hands the URL to the external opener instead', () => {
    const { contents, opened } = locked();
    expect(contents.windowOpenHandler).not.toBeNull();
    for (const url of ['https://fal.ai/dashboard/keys', 'https://evil.example/', OWN_PAGE]) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://fal.ai/dashboard/keys', 'https://evil.example/', OWN_PAGE]);
  });
});

describe('external links', () => {
  it('allows only https links to allowlisted hosts', () => {
    expect(isAllowedExternalUrl('https://fal.ai/dashboard/keys')).toBe(true);
    expect(isAllowedExternalUrl('https://docs.fal.ai/')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/x/y')).toBe(true);
    for (const url of [
      'http://fal.ai/',
      'https://evil.fal.ai.example.com/',
      'https://fal.ai.evil.com/',
      'https://user:pass@fal.ai/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://fal.ai/share',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('reaches shell.openExternal only for allowed links', async () => {
    expect(await openExternalIfAllowed('https://evil.example/')).toBe(false);
    expect(await openExternalIfAllowed('file:///bin/sh')).toBe(false);
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
    expect(await openExternalIfAllowed('https://fal.ai/dashboard/keys')).toBe(true);
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://fal.ai/dashboard/keys');
  });
});

describe('denyAllPermissions', () => {
  it('refuses every permission request and check, devices, screen capture and downloads', () => {
    const session = new FakeSession();
    denyAllPermissions(session as unknown as Electron.Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal', 'hid', 'serial', 'usb']) {
      const answers: boolean[] = [];
      session.permissionRequestHandler!({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
      expect(session.permissionCheckHandler!({}, permission, OWN_PAGE, {}), permission).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
    const streams: object[] = [];
    session.displayMediaRequestHandler!({}, (s) => streams.push(s));
    expect(streams).toEqual([{}]);
    let prevented = false;
    session.emit('will-download', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });

  it('hardens the default session when none is given', () => {
    denyAllPermissions();
    expect(fake.defaultSession.permissionRequestHandler).not.toBeNull();
  });
});

describe('blockRemoteRequests', () => {
  const decide = (session: FakeSession, url: string) => {
    const answers: { cancel?: boolean }[] = [];
    session.beforeRequest!.listener({ url }, (response) => answers.push(response));
    return answers[0]?.cancel;
  };

  it('cancels every http(s) and ws(s) request of the page', () => {
    const session = new FakeSession();
    blockRemoteRequests(session as unknown as Electron.Session, undefined);
    expect(session.beforeRequest!.filter.urls).toEqual(NETWORK_URL_PATTERNS);
    for (const url of ['https://fal.ai/', 'http://127.0.0.1:8080/x', 'wss://evil.example/socket', 'http://localhost:5173/']) {
      expect(decide(session, url), url).toBe(true);
    }
  });

  it('lets the dev server through while developing, and nothing else', () => {
    const session = new FakeSession();
    blockRemoteRequests(session as unknown as Electron.Session, 'http://localhost:5173/');
    expect(decide(session, 'http://localhost:5173/src/main.tsx')).toBe(false);
    expect(decide(session, 'ws://localhost:5173/')).toBe(false);
    expect(decide(session, 'http://localhost:5174/')).toBe(true);
    expect(decide(session, 'https://cdn.example/three.js')).toBe(true);
  });
});

describe('createMainWindow', () => {
  it('creates the window with every security preference on and loads our page', () => {
    const window = createMainWindow({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false }) as unknown as FakeBrowserWindow;
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
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
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(window.options).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, show: false });
    expect(window.loadedUrl).toBe(OWN_PAGE);
  });
});
