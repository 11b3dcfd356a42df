// The FAL proxy changes only through the native confirmation dialog (mocked electron): the page asks
// with proxy:set, main shows a dialog naming the host and whether the key goes too, and only "yes"
// writes the route (a file of its own, not the settings the page can write).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const electron = await import('electron');
const { createElectronPlatform } = await import('../../src/main/platform');
const { createHandlers } = await import('../../src/core/services');
const { createDispatcher } = await import('../../src/core/ipc/dispatch');
const { createFileSettingsStore } = await import('../../src/core/settings/file-store');
const { createFileRouteStore } = await import('../../src/core/keys/route-store');
const { createMemoryKeyVault } = await import('../../src/core/keys/memory-vault');

const showMessageBox = electron.dialog.showMessageBox as unknown as ReturnType<typeof vi.fn>;
let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-proxy-main-'));
  showMessageBox.mockReset();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  const window = new FakeBrowserWindow({});
  const platform = createElectronPlatform({ getWindow: () => window as never, dragIconPath: '/res/drag-icon.png' });
  const proxyChanges: (string | null)[] = [];
  const engine = { setFalProxyUrl: (url: string | null) => proxyChanges.push(url) } as unknown as Parameters<typeof createHandlers>[0]['engine'];
  const routePath = join(dir, 'fal-route.json');
  const dispatch = createDispatcher(
    createHandlers({
      engine,
      keys: createMemoryKeyVault({}),
      settings: createFileSettingsStore(join(dir, 'settings.json')),
      platform,
      appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'i2m://library/', platform: 'linux', transport: 'electron' },
      route: createFileRouteStore(routePath),
    }),
  );
  return { window, dispatch, proxyChanges, routePath };
}

describe('proxy confirmation in the main process', () => {
  it('asks with a dialog that names the host; Cancel changes nothing', async () => {
    const { window, dispatch, proxyChanges, routePath } = setup();
    showMessageBox.mockResolvedValue({ response: 0, checkboxChecked: false });
    const result = await dispatch('proxy:set', { url: 'https://proxy.example.com:8443/fal', sendKey: false });
    expect(result).toEqual({ ok: true, data: { applied: false, proxy: { url: null, sendKey: false } } });
    expect(showMessageBox).toHaveBeenCalledTimes(1);
    const [parent, options] = showMessageBox.mock.calls[0] as [unknown, { message: string; detail: string; defaultId: number; cancelId: number }];
    expect(parent).toBe(window);
    expect(options.message).toContain('proxy.example.com:8443');
    expect(options.detail).toMatch(/key is not sent/);
    expect(options.defaultId).toBe(0);
    expect(options.cancelId).toBe(0);
    expect(proxyChanges).toEqual([]);
    expect(existsSync(routePath)).toBe(false);
  });

  it('a confirmed proxy is stored outside the settings and survives a restart; the page cannot change it via settings:set', async () => {
    const first = setup();
    showMessageBox.mockResolvedValue({ response: 1, checkboxChecked: false });
    expect(await first.dispatch('proxy:set', { url: 'https://proxy.example.com/fal', sendKey: true })).toMatchObject({
      ok: true,
      data: { applied: true, proxy: { url: 'https://proxy.example.com/fal', sendKey: true } },
    });
    const options = showMessageBox.mock.calls[0]![1] as { message: string; detail: string };
    expect(options.message).toMatch(/FAL key to proxy\.example\.com/);
    expect(options.detail).toMatch(/can use your FAL key/);
    expect(first.proxyChanges).toEqual(['https://proxy.example.com/fal']);
    expect(createFileRouteStore(first.routePath).get()).toEqual({ proxyUrl: 'https://proxy.example.com/fal', sendKeyToProxy: true });

    const again = setup();
    expect(await again.dispatch('proxy:get', undefined)).toEqual({ ok: true, data: { url: 'https://proxy.example.com/fal', sendKey: true } });
    expect(await again.dispatch('settings:set', { falProxyUrl: 'http://127.0.0.1:9/steal' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await again.dispatch('proxy:get', undefined)).toMatchObject({ ok: true, data: { url: 'https://proxy.example.com/fal' } });
  });

  it('says when a loopback proxy is unencrypted, and never asks about plain http to another computer', async () => {
    const { dispatch } = setup();
    showMessageBox.mockResolvedValue({ response: 1, checkboxChecked: false });
    expect(await dispatch('proxy:set', { url: 'http://10.1.2.3/fal', sendKey: false })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(showMessageBox).not.toHaveBeenCalled();
    expect(await dispatch('proxy:set', { url: 'http://127.0.0.1:8080/', sendKey: false })).toMatchObject({ ok: true, data: { applied: true } });
    expect((showMessageBox.mock.calls[0]![1] as { message: string }).message).toMatch(/127\.0\.0\.1:8080 \(on this computer, unencrypted\)/);
  });

  it('clearing the proxy needs no confirmation (the key then only goes to FAL)', async () => {
    const { dispatch, proxyChanges } = setup();
    expect(await dispatch('proxy:set', { url: null, sendKey: false })).toEqual({ ok: true, data: { applied: true, proxy: { url: null, sendKey: false } } });
    expect(showMessageBox).not.toHaveBeenCalled();
    expect(proxyChanges).toEqual([null]);
  });

  it('a tampered route file falls back to FAL directly', async () => {
    const { writeFileSync } = await import('node:fs');
    const path = join(dir, 'fal-route.json');
    writeFileSync(path, JSON.stringify({ proxyUrl: 'http://evil.example/', sendKeyToProxy: true }));
    expect(createFileRouteStore(path).get()).toEqual({ proxyUrl: null, sendKeyToProxy: false });
    writeFileSync(path, 'not json');
    expect(createFileRouteStore(path).get()).toEqual({ proxyUrl: null, sendKeyToProxy: false });
  });
});
