// The viewer's toggles. Look preferences (backdrop, grid, stats panel) are remembered between
// sessions; wireframe and auto-rotate start off every time.
export type Backdrop = 'dark' | 'light';

export interface ViewSettings {
  wireframe: boolean;
  autoRotate: boolean;
  grid: boolean;
  backdrop: Backdrop;
  showStats: boolean;
}

const STORAGE_KEY = 'image2model.viewer.look';

function systemBackdrop(): Backdrop {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function loadViewSettings(): ViewSettings {
  const defaults: ViewSettings = { wireframe: false, autoRotate: false, grid: true, backdrop: systemBackdrop(), showStats: true };
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<ViewSettings> | null;
    if (!saved) return defaults;
    return {
      ...defaults,
      grid: typeof saved.grid === 'boolean' ? saved.grid : defaults.grid,
      backdrop: saved.backdrop === 'light' || saved.backdrop === 'dark' ? saved.backdrop : defaults.backdrop,
      showStats: typeof saved.showStats === 'boolean' ? saved.showStats : defaults.showStats,
    };
  } catch {
    return defaults; // storage unavailable or corrupt: defaults are fine
  }
}

export function saveViewSettings(settings: ViewSettings): void {
  try {
    const { grid, backdrop, showStats } = settings;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ grid, backdrop, showStats }));
  } catch {
    // Not remembering a look preference is harmless.
  }
}
