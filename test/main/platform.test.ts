// The Electron Platform: links only to the allowlist, drag-out with the icon, progress and badge,
// notifications whose click reaches the app.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/shared/result';
import { fake, FakeBrowserWindow, FakeNotification } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { createElectronPlatform } = await import('../../src/main/platform');

function setup() {
  const window = new FakeBrowserWindow({});
  const platform = createElectronPlatform({ getWindow: () => window as never, dragIconPath: '/res/drag-icon.png' });
  return { window, platform };
}

afterEach(() => {
  fake.shell.openExternal.mockClear();
  FakeNotification.shown.length = 0;
});

describe('Electron platform', () => {
  it('opens allowlisted https links and refuses the rest with a typed error', async () => {
    const { platform } = setup();
    await platform.openExternal('https://fal.ai/dashboard/keys');
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://fal.ai/dashboard/keys');
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://fal.ai/']) {
      await expect(platform.openExternal(url)).rejects.toBeInstanceOf(AppError);
    }
    expect(fake.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('names what the folder picker is for: the export folder unless told (the watched folder)', async () => {
    const { platform } = setup();
    const { dialog } = await import('electron');
    const showOpenDialog = vi.mocked(dialog.showOpenDialog);
    showOpenDialog.mockResolvedValue({ canceled: false, filePaths: ['/home/ada/Inbox'] } as never);
    expect(await platform.chooseFolder(undefined, 'Choose the folder to watch')).toBe('/home/ada/Inbox');
    expect(showOpenDialog).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ title: 'Choose the folder to watch' }));
    await platform.chooseFolder('/home/ada');
    expect(showOpenDialog).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ title: 'Choose the export folder', defaultPath: '/home/ada' }));
  });

  it('starts a drag of the model file with the drag icon', async () => {
    const { window, platform } = setup();
    await platform.startDrag('/lib/model.glb');
    expect(window.webContents.startDrag).toHaveBeenCalledWith({ file: '/lib/model.glb', icon: expect.objectContaining({ path: '/res/drag-icon.png' }) });
  });

  it('shows progress clamped to 0..1, clears it with null, and badges the running count', () => {
    const { window, platform } = setup();
    platform.setProgress(1.7, 3);
    expect(window.progress).toBe(1);
    platform.setProgress(null, 0);
    expect(window.progress).toBe(-1);
    const badge = process.platform === 'darwin' ? fake.app.dock.setBadge : fake.app.setBadgeCount;
    expect(badge).toHaveBeenCalledTimes(2);
  });

  it('calls back when a notification is clicked', () => {
    const { platform } = setup();
    const onClick = vi.fn();
    platform.notify('Model ready', 'cube.png is ready to view.', onClick);
    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0]!.options).toMatchObject({ title: 'Model ready', body: 'cube.png is ready to view.' });
    FakeNotification.shown[0]!.emit('click');
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('does nothing without a window', async () => {
    const platform = createElectronPlatform({ getWindow: () => null, dragIconPath: '/x.png' });
    await expect(platform.startDrag('/lib/model.glb')).resolves.toBeUndefined();
    expect(() => platform.setProgress(0.5, 1)).not.toThrow();
  });
});
