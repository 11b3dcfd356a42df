// Settings in a JSON file, for the CLI, the browser transport and tests (Electron uses electron-store).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SettingsPatchSchema, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import { AppError } from '../../shared/result';
import type { SettingsStore } from '../services-types';
import { loadSettings, SETTINGS_VERSION } from './migrate';
import { settingsNotSaved } from './not-saved';

export function createFileSettingsStore(file: string): SettingsStore {
  let stored: unknown = {};
  let version = 0;
  const loadWarnings: string[] = [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; settings?: unknown };
    stored = parsed.settings;
    version = typeof parsed.version === 'number' ? parsed.version : 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') loadWarnings.push('The settings file could not be read and has been reset.');
  }
  const loaded = loadSettings(stored, version);
  let current: Settings = loaded.settings;
  const warnings = [...loadWarnings, ...loaded.warnings];

  const save = (settings: Settings) => {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ version: SETTINGS_VERSION, settings }, null, 2));
    renameSync(tmp, file);
  };

  return {
    get: () => current,
    set: (patch: SettingsPatch) => {
      const checked = SettingsPatchSchema.safeParse(patch);
      if (!checked.success) throw new AppError('invalid_input', checked.error.issues[0]?.message ?? 'Invalid settings.');
      const next = SettingsSchema.parse({ ...current, ...checked.data });
      try {
        save(next);
      } catch (error) {
        throw settingsNotSaved(error);
      }
      current = next;
      return current;
    },
    warnings: () => [...warnings],
  };
}
