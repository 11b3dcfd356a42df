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
  backdrop: Backdrop;
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
const REMEMBERED = ['grid', 'backdrop', 'showStats', 'showStatsCompact', 'lighting', 'exposure', 'unit'] as const;

function systemBackdrop(): Backdrop {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function defaultViewSettings(): ViewSettings {
  return {
    viewMode: 'lit',
    autoRotate: false,
    grid: true,
    backdrop: systemBackdrop(),
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
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Record<keyof ViewSettings, unknown>> | null;
    if (!saved) return defaults;
    return {
      ...defaults,
      grid: typeof saved.grid === 'boolean' ? saved.grid : defaults.grid,
      backdrop: oneOf(['dark', 'light'], saved.backdrop, defaults.backdrop),
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
    const remembered = Object.fromEntries(REMEMBERED.map((key) => [key, settings[key]]));
    localStorage.setItem(STORAGE_KEY, JSON.stringify(remembered));
  } catch {
    // Not remembering a look preference is harmless.
  }
}
