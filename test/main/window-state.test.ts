// Window size and position survive a restart (real electron-store in a temp folder, fake screen).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const electron = await import('electron');
const { createWindowStateKeeper } = await import('../../src/main/window-state');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-winstate-'));
  vi.mocked(electron.screen.getAllDisplays).mockReturnValue([{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] as never);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

class FakeWindow extends EventEmitter {
  constructor(public bounds: { x: number; y: number; width: number; height: number }, public maximized = false) {
    super();
  }
  isDestroyed = () => false;
  isMaximized = () => this.maximized;
  isFullScreen = () => false;
  getNormalBounds = () => this.bounds;
}

describe('window state', () => {
  it('saves the bounds on close and restores them next time', () => {
    const keeper = createWindowStateKeeper(dir);
    expect(keeper.placement().bounds).toMatchObject({ width: 1280, height: 820 });
    const window = new FakeWindow({ x: 100, y: 50, width: 1000, height: 700 }, true);
    keeper.track(window as never);
    window.emit('close');
    expect(createWindowStateKeeper(dir).placement()).toEqual({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
  });

  it('saves after moving (debounced)', () => {
    vi.useFakeTimers();
    try {
      const keeper = createWindowStateKeeper(dir);
      const window = new FakeWindow({ x: 10, y: 10, width: 900, height: 600 });
      keeper.track(window as never);
      window.bounds = { x: 300, y: 200, width: 900, height: 600 };
      window.emit('move');
      vi.advanceTimersByTime(600);
      expect(createWindowStateKeeper(dir).placement().bounds).toEqual({ x: 300, y: 200, width: 900, height: 600 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('brings a window saved on a missing monitor back onto the screen', () => {
    const keeper = createWindowStateKeeper(dir);
    const window = new FakeWindow({ x: 4000, y: 100, width: 1000, height: 700 });
    keeper.track(window as never);
    window.emit('close');
    const { bounds } = createWindowStateKeeper(dir).placement();
    expect(bounds.x + bounds.width).toBeLessThanOrEqual(1920);
    expect(bounds.x).toBeGreaterThanOrEqual(0);
  });
});
