// The viewer's toggles. Look preferences (backdrop, grid, stats panel, lighting, exposure, unit) are
// remembered between sessions; the view mode, auto-rotate and the overlays start off every time.
export type Backdrop = 'dark' | 'light';

/** How surfaces are drawn: the inspector's view modes. */
export const VIEW_MODES = ['lit', 'base', 'normals', 'matcap', 'wireframe', 'uv'] as const;
export type ViewMode = (typeof VIEW_MODES)[number];

export const LIGHTING_PRESETS = ['studio', 'soft', 'contrast'] as const;
export type LightingPreset = (typeof LIGHTING_PRESETS)[number];

export const LENGTH_UNITS = ['mm', 'cm', 'm', 'in'] as const;
export type LengthUnit = (typeof LENGTH_UNITS)[number];

/** Exposure is set in stops (EV) around the tone mapper's neutral point. */
export const EXPOSURE_RANGE = { min: -2, max: 2, step: 0.25 } as const;

export interface ViewSettings {
  viewMode: ViewMode;
  autoRotate: boolean;
  grid: boolean;
  /** The backdrop shown: the app's theme's, unless the user chose one (backdropChosen). */
  backdrop: Backdrop;
  /** The user picked `backdrop` with the toggle; otherwise it follows the app's theme. */
  backdropChosen: boolean;
  showStats: boolean;
  /** The statistics panel in a small viewer (the library's side pane): off unless asked for. */
  showStatsCompact: boolean;
  lighting: LightingPreset;
  /** Stops: 0 is neutral, +1 twice as bright. */
  exposure: number;
  showDimensions: boolean;
  unit: LengthUnit;
}

const STORAGE_KEY = 'image2model.viewer.look';
const REMEMBERED = ['grid', 'showStats', 'showStatsCompact', 'lighting', 'exposure', 'unit'] as const;
/** Stored only when the user chose a backdrop. (The old `backdrop` key was stored with any toggle, so it
 *  says nothing about a choice and is ignored.) */
const CHOSEN_BACKDROP = 'chosenBackdrop';

/** The app's theme (data-theme on the root), or the system's on a page that sets none. */
export function themeBackdrop(): Backdrop {
  const theme = typeof document === 'object' ? document.documentElement.dataset.theme : undefined;
  if (theme === 'dark' || theme === 'light') return theme;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function defaultViewSettings(): ViewSettings {
  return {
    viewMode: 'lit',
    autoRotate: false,
    grid: true,
    backdrop: themeBackdrop(),
    backdropChosen: false,
    showStats: true,
    showStatsCompact: false,
    lighting: 'studio',
    exposure: 0,
    showDimensions: false,
    unit: 'cm',
  };
}

const oneOf = <T extends string>(list: readonly T[], value: unknown, fallback: T): T => (list.includes(value as T) ? (value as T) : fallback);

export function clampExposure(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
  const stepped = Math.round(value / EXPOSURE_RANGE.step) * EXPOSURE_RANGE.step;
  return Math.min(EXPOSURE_RANGE.max, Math.max(EXPOSURE_RANGE.min, stepped));
}

export function loadViewSettings(): ViewSettings {
  const defaults = defaultViewSettings();
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Record<keyof ViewSettings | typeof CHOSEN_BACKDROP, unknown>> | null;
    if (!saved) return defaults;
    const chosen = saved[CHOSEN_BACKDROP] === 'dark' || saved[CHOSEN_BACKDROP] === 'light' ? saved[CHOSEN_BACKDROP] : null;
    return {
      ...defaults,
      grid: typeof saved.grid === 'boolean' ? saved.grid : defaults.grid,
      backdrop: chosen ?? defaults.backdrop,
      backdropChosen: chosen !== null,
      showStats: typeof saved.showStats === 'boolean' ? saved.showStats : defaults.showStats,
      showStatsCompact: typeof saved.showStatsCompact === 'boolean' ? saved.showStatsCompact : defaults.showStatsCompact,
      lighting: oneOf(LIGHTING_PRESETS, saved.lighting, defaults.lighting),
      exposure: clampExposure(saved.exposure ?? defaults.exposure),
      unit: oneOf(LENGTH_UNITS, saved.unit, defaults.unit),
    };
  } catch {
    return defaults; // storage unavailable or corrupt: defaults are fine
  }
}

export function saveViewSettings(settings: ViewSettings): void {
  try {
    const remembered = {
      ...Object.fromEntries(REMEMBERED.map((key) => [key, settings[key]])),
      [CHOSEN_BACKDROP]: settings.backdropChosen ? settings.backdrop : null,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(remembered));
  } catch {
    // Not remembering a look preference is harmless.
  }
}
