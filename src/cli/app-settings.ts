// The app's settings as the CLI honours them: the monthly spending cap set in the app's Settings
// holds the CLI's FAL jobs too (both share one data folder and one month's spend), and photos are
// scaled to the app's long side. Read-only: the CLI never writes the app's settings. The cap is read
// again whenever the file changes (the user may raise it in the app while a run waits).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../core/images/limits';
import { loadSettings } from '../core/settings/migrate';
import type { Settings } from '../shared/settings';

/** Where the app (electron-store) and the browser transport keep settings in a data folder. */
export const settingsFileOf = (dataDir: string) => join(dataDir, 'settings.json');

/** The spending cap in `dataDir`'s settings (null: none set, or no readable settings file). */
export function appSpendingCap(dataDir: string): () => number | null {
  const file = settingsFileOf(dataDir);
  let seen: { mtimeMs: number; size: number; cap: number | null } | null = null;
  return () => {
    let mtimeMs: number;
    let size: number;
    try {
      ({ mtimeMs, size } = statSync(file));
    } catch {
      return null; // the app never ran on this folder: no cap
    }
    if (seen?.mtimeMs === mtimeMs && seen.size === size) return seen.cap;
    // Unreadable: the app resets it to the defaults (no cap) too.
    const cap = readSettings(file)?.spendingCapUsd ?? null;
    seen = { mtimeMs, size, cap };
    return cap;
  };
}

/**
 * The limits photos are prepared with: the app's long side (settings maxLongSide). A photo is known
 * again (already made, on its way) by the sha256 of its prepared bytes, so a photo the app made must
 * be prepared the same way here, or `convert` would send it - and pay for it - a second time.
 */
export function appInputLimits(dataDir: string): InputLimits {
  const settings = readSettings(settingsFileOf(dataDir));
  return settings ? { ...DEFAULT_INPUT_LIMITS, maxLongSide: settings.maxLongSide } : DEFAULT_INPUT_LIMITS;
}

/** The app's settings in `file` (null: no file, or not readable - the app then uses the defaults too). */
function readSettings(file: string): Settings | null {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; settings?: unknown };
    return loadSettings(stored.settings, typeof stored.version === 'number' ? stored.version : 0).settings;
  } catch {
    return null;
  }
}
