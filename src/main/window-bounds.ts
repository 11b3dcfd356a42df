// Where to put the window: the saved position when it is still on a screen, else centered on the
// primary display. Pure (no electron) so it is tested directly.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  maximized?: boolean;
}

export interface WindowPlacement {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 820, height: 560 } as const;
/** How much of the window (title bar included) must be on a screen to keep the saved position. */
const MIN_VISIBLE = { width: 160, height: 80 } as const;

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

function centered(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Chooses the window's bounds from what was saved and the displays' work areas now. A window whose
 * saved spot is off every screen (monitor unplugged, resolution changed) is centered on the primary one;
 * one that is partly visible is pulled fully onto the display it overlaps most, and shrunk to fit.
 */
export function placeWindow(saved: SavedWindowState | null | undefined, workAreas: readonly Rect[], primary: Rect): WindowPlacement {
  const maximized = saved?.maximized === true;
  const positive = (n: unknown): n is number => finite(n) && n > 0;
  const width = positive(saved?.width) ? Math.max(MIN_SIZE.width, Math.round(saved.width)) : DEFAULT_SIZE.width;
  const height = positive(saved?.height) ? Math.max(MIN_SIZE.height, Math.round(saved.height)) : DEFAULT_SIZE.height;
  if (!finite(saved?.x) || !finite(saved?.y)) return { bounds: centered({ width, height }, primary), maximized };

  const wanted: Rect = { x: Math.round(saved.x), y: Math.round(saved.y), width, height };
  // Only the title bar strip matters for "can the user grab it".
  const titleBar: Rect = { x: wanted.x, y: wanted.y, width: wanted.width, height: Math.min(wanted.height, 40) };
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const seen = overlap(wanted, area);
    const bar = overlap(titleBar, area);
    if (bar.width < MIN_VISIBLE.width || bar.height <= 0 || seen.height < Math.min(MIN_VISIBLE.height, wanted.height)) continue;
    if (seen.width * seen.height > bestArea) {
      bestArea = seen.width * seen.height;
      best = area;
    }
  }
  if (!best) return { bounds: centered({ width, height }, primary), maximized };

  const fitWidth = Math.min(width, best.width);
  const fitHeight = Math.min(height, best.height);
  const x = Math.min(Math.max(wanted.x, best.x), best.x + best.width - fitWidth);
  const y = Math.min(Math.max(wanted.y, best.y), best.y + best.height - fitHeight);
  return { bounds: { x, y, width: fitWidth, height: fitHeight }, maximized };
}
