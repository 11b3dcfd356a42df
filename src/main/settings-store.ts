// Settings in electron-store, validated by the shared zod schema and migrated by the shared rules.
import Store from 'electron-store';
import { SettingsPatchSchema, SettingsSchema, type Settings } from '../shared/settings';
import { AppError } from '../shared/result';
import { loadSettings, SETTINGS_VERSION } from '../core/settings/migrate';
import type { SettingsStore } from '../core/services-types';

interface StoredShape {
  version: number;
  settings: unknown;
}

export function createElectronSettingsStore(dataDir: string): SettingsStore {
  const store = new Store<StoredShape>({ name: 'settings', cwd: dataDir, clearInvalidConfig: true });
  const loaded = loadSettings(store.get('settings'), store.get('version') ?? 0);
  let current: Settings = loaded.settings;
  store.set({ version: SETTINGS_VERSION, settings: current });
  return {
    get: () => current,
    set(patch) {
      const checked = SettingsPatchSchema.safeParse(patch);
      if (!checked.success) throw new AppError('invalid_input', checked.error.issues[0]?.message ?? 'Invalid settings.');
      current = SettingsSchema.parse({ ...current, ...checked.data });
      store.set('settings', current);
      return current;
    },
    warnings: () => loaded.warnings,
  };
}
