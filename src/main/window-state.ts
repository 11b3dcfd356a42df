// Remembers the window's size and position in electron-store and puts it back on a visible screen.
import { screen, type BrowserWindow } from 'electron';
import Store from 'electron-store';
import { placeWindow, type SavedWindowState, type WindowPlacement } from './window-bounds';

export interface WindowStateKeeper {
  placement(): WindowPlacement;
  /** Saves the window's bounds when it moves, resizes or closes. */
  track(window: BrowserWindow): void;
}

export function createWindowStateKeeper(dataDir: string): WindowStateKeeper {
  const store = new Store<{ window?: SavedWindowState }>({ name: 'window-state', cwd: dataDir, clearInvalidConfig: true });
  const save = (window: BrowserWindow) => {
    if (window.isDestroyed()) return;
    const maximized = window.isMaximized() || window.isFullScreen();
    // Keep the last normal bounds when maximized, so un-maximizing next time restores them.
    const bounds = window.getNormalBounds();
    store.set('window', { ...bounds, maximized });
  };
  return {
    placement() {
      const saved = store.get('window');
      const workAreas = screen.getAllDisplays().map((d) => d.workArea);
      return placeWindow(saved, workAreas, screen.getPrimaryDisplay().workArea);
    },
    track(window) {
      let timer: NodeJS.Timeout | null = null;
      const later = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => save(window), 500);
      };
      window.on('resize', later);
      window.on('move', later);
      window.on('close', () => {
        if (timer) clearTimeout(timer);
        save(window);
      });
    },
  };
}
