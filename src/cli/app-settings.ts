// The app's settings as the CLI honours them: the monthly spending cap set in the app's Settings
// holds the CLI's FAL jobs too (both share one data folder and one month's spend), photos over the
// app's upload limit are refused and the rest scaled to the app's long side. Read-only: the CLI never
// writes the app's settings. The cap is read again whenever the file changes (the user may raise it in
// the app while a run waits).
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
 * The limits photos are checked and prepared with: the app's. Its upload limit (settings uploadLimitMb):
 * a photo the app refuses is not sent - and paid for - from here either. Its long side (maxLongSide): a
 * photo is known again (already made, on its way) by the sha256 of its prepared bytes, so a photo the
 * app made must be prepared the same way here, or `convert` would send it - and pay for it - a second time.
 */
export function appInputLimits(dataDir: string): InputLimits {
  const settings = readSettings(settingsFileOf(dataDir));
  if (!settings) return DEFAULT_INPUT_LIMITS;
  return {
    ...DEFAULT_INPUT_LIMITS,
    maxFileBytes: settings.uploadLimitMb * 1024 * 1024,
    tooLarge: { limitName: "the upload limit in the app's Settings", advice: 'Use a smaller file, or raise that limit in the app.' },
    maxLongSide: settings.maxLongSide,
  };
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
