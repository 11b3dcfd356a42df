// Runs src/main/index.ts - the Electron entry - against the fake electron module: the real core on a
// temp data dir, the real stores, every wiring step. This is as close to starting the app as these
// machines allow (no Electron binary); test/e2e/electron/smoke.e2e.ts does the real thing elsewhere.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAME_LIST } from '../../src/shared/channel-names';
import { nativeFolderName } from '../../src/main/app-paths';
import { fake, FakeBrowserWindow } from './fake-electron';
import { startFakeFal, type FakeFal } from '../fake-fal/server';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

let sandbox: string;
let dataDir: string;
let fal: FakeFal;

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'i2m-boot-'));
  dataDir = join(sandbox, 'data');
  // The app folder with the SQLite driver where scripts/electron-native.mjs would put it (here: the
  // Node build, since this "Electron" is Node).
  fake.app.appPath = join(sandbox, 'app');
  const nativeDir = join(fake.app.appPath, '.native', nativeFolderName({ electronVersion: process.versions.electron ?? '', platform: process.platform, arch: process.arch }));
  mkdirSync(nativeDir, { recursive: true });
  copyFileSync(join(process.cwd(), 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), join(nativeDir, 'better_sqlite3.node'));
  // Settings left broken by an older build: reset with a visible warning, not a crash.
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, settings: { concurrency: 99, theme: 'dark' } }));
  // FAL calls (the start-up price and spend checks) go through a confirmed proxy, as a user's would:
  // to the fake FAL, never the real one.
  fal = await startFakeFal();
  writeFileSync(join(dataDir, 'fal-route.json'), JSON.stringify({ proxyUrl: fal.url, sendKeyToProxy: true }));
  vi.stubEnv('IMAGE2MODEL_DATA_DIR', dataDir);
  vi.stubEnv('FAL_KEY', 'boot-test-key-0123456789');
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
  await import('../../src/main/index');
  await until(() => fake.ipcHandlers.size === CHANNEL_NAME_LIST.length && FakeBrowserWindow.created.length === 1, 'the app to start');
});

afterAll(async () => {
  // Quit like a user would, so the engine releases its database before the folder goes.
  fake.app.emit('before-quit', { preventDefault: () => {} });
  await until(() => fake.app.quit.mock.calls.length > 0, 'quit');
  vi.unstubAllEnvs();
  await fal.close();
  delete process.env.IMAGE2MODEL_SQLITE_BINDING;
  rmSync(sandbox, { recursive: true, force: true });
});

describe('main process start-up (fake electron)', () => {
  const window = () => FakeBrowserWindow.created[0]!;
  const trusted = () => ({ senderFrame: { url: window().loadedUrl, parent: null } });

  it('uses the shared data folder and opens one hardened window on our page', () => {
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', dataDir);
    expect(window().options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(window().loadedUrl).toBe('app://renderer/index.html');
  });

  it('serves the page from app://renderer/ with its CSP header', async () => {
    const { protocol } = await import('electron');
    const registered = vi.mocked(protocol.registerSchemesAsPrivileged).mock.calls.flatMap(([schemes]) => schemes.map((s) => s.scheme));
    expect(registered).toEqual(expect.arrayContaining(['app', 'i2m']));
    const handler = vi.mocked(protocol.handle).mock.calls.find(([scheme]) => scheme === 'app')?.[1];
    expect(handler).toBeDefined();
    // Under Node the renderer folder next to src/main is src/renderer, which has the page's index.html.
    const response = await handler!({ url: 'app://renderer/index.html', method: 'GET' } as never);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'/);
    expect(await response.text()).toContain('<div id="root">');
    // Locked down through 'web-contents-created'.
    expect(window().webContents.windowOpenHandler).not.toBeNull();
    expect(fake.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(fake.defaultSession.beforeRequest).not.toBeNull();
    expect(fake.menu.setApplicationMenu).toHaveBeenCalled();
    expect(process.env.IMAGE2MODEL_SQLITE_BINDING).toMatch(/better_sqlite3\.node$/);
  });

  it('answers IPC from our page with the real core, and refuses other senders', async () => {
    const info = (await fake.ipcHandlers.get('app:info')!(trusted())) as { ok: boolean; data: Record<string, unknown> };
    expect(info).toMatchObject({ ok: true, data: { transport: 'electron', dataDir, fileBaseUrl: 'i2m://library/', falKey: { configured: true, source: 'environment' } } });
    const status = await fake.ipcHandlers.get('key:status')!(trusted());
    expect(JSON.stringify(status)).not.toContain('boot-test-key-0123456789');
    const foreign = await fake.ipcHandlers.get('jobs:list')!({ senderFrame: { url: 'https://evil.example/', parent: null } });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });

  it('shows the settings that were reset in a warning once the window is up', async () => {
    const electron = await import('electron');
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
    window().emit('ready-to-show');
    expect(electron.dialog.showMessageBox).toHaveBeenCalledWith(
      window(),
      expect.objectContaining({ type: 'warning', detail: expect.stringMatching(/concurrency/) }),
    );
    const settings = (await fake.ipcHandlers.get('settings:get')!(trusted())) as { data: { theme: string; concurrency: number } };
    expect(settings.data).toMatchObject({ theme: 'dark', concurrency: 2 });
  });

  it('listens for the machine shutting down on every platform (jobs armed for their slot go back to the queue at once)', () => {
    expect(fake.powerMonitor.listenerCount('shutdown')).toBe(1); // Linux, macOS
    expect(window().listenerCount('session-end')).toBe(1); // Windows
    // With nothing armed, a shutdown changes nothing and throws nothing.
    expect(() => fake.powerMonitor.emit('shutdown')).not.toThrow();
    expect(() => window().emit('session-end')).not.toThrow();
  });

  it('sends menu commands to the page as app:command events', () => {
    const template = fake.menu.template as { submenu?: { accelerator?: string; click?: () => void }[] }[];
    const open = template.flatMap((m) => m.submenu ?? []).find((i) => i.accelerator === 'CmdOrCtrl+O')!;
    open.click!();
    expect(window().webContents.sent).toContainEqual({ channel: 'event:app:command', payload: { command: 'open-images' } });
  });

  it('stops the core before quitting', async () => {
    let prevented = false;
    fake.app.emit('before-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await until(() => fake.app.quit.mock.calls.length > 0, 'quit after stop');
  });
});
