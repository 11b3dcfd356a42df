// The app's settings as the CLI honours them: the monthly spending cap set in the app's Settings
// holds the CLI's FAL jobs too (both share one data folder and one month's spend). Read-only: the CLI
// never writes the app's settings. Read again whenever the file changes (the user may raise the cap
// in the app while a run waits).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings } from '../core/settings/migrate';

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
    let cap: number | null = null;
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; settings?: unknown };
      cap = loadSettings(stored.settings, typeof stored.version === 'number' ? stored.version : 0).settings.spendingCapUsd;
    } catch {
      cap = null; // unreadable: the app resets it to the defaults (no cap) too
    }
    seen = { mtimeMs, size, cap };
    return cap;
  };
}
