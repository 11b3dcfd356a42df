// Settings in electron-store, validated by the shared zod schema and migrated by the shared rules.
// Stored settings that fail the schema are reset field by field with a warning, never a crash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Store from 'electron-store';
import { SettingsPatchSchema, SettingsSchema, type Settings } from '../shared/settings';
import { AppError } from '../shared/result';
import { loadSettings, SETTINGS_VERSION } from '../core/settings/migrate';
import { settingsNotSaved } from '../core/settings/not-saved';
import type { SettingsStore } from '../core/services-types';

interface StoredShape {
  version: number;
  settings: unknown;
}

export const SETTINGS_FILE_NAME = 'settings';

/** electron-store silently empties a file it cannot parse; look first so the user is told. */
function unreadableFileWarning(file: string): string | null {
  try {
    JSON.parse(readFileSync(file, 'utf8'));
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return 'The settings file could not be read and has been reset to the defaults.';
  }
}

export function createElectronSettingsStore(dataDir: string): SettingsStore {
  const fileWarning = unreadableFileWarning(join(dataDir, `${SETTINGS_FILE_NAME}.json`));
  const store = new Store<StoredShape>({ name: SETTINGS_FILE_NAME, cwd: dataDir, clearInvalidConfig: true });
  const version = store.get('version');
  const loaded = loadSettings(store.get('settings'), typeof version === 'number' ? version : 0);
  const warnings = [...(fileWarning ? [fileWarning] : []), ...loaded.warnings];
  let current: Settings = loaded.settings;
  store.set({ version: SETTINGS_VERSION, settings: current });
  return {
    get: () => current,
    set(patch) {
      const checked = SettingsPatchSchema.safeParse(patch);
      if (!checked.success) throw new AppError('invalid_input', checked.error.issues[0]?.message ?? 'Invalid settings.');
      const next = SettingsSchema.parse({ ...current, ...checked.data });
      try {
        store.set('settings', next);
      } catch (error) {
        throw settingsNotSaved(error);
      }
      current = next;
      return current;
    },
    warnings: () => [...warnings],
  };
}
