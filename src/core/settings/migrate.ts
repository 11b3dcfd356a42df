// Settings migrations and the reset-on-invalid rule shared by electron-store and the headless file store.
import { DEFAULT_MODEL_ID } from '../../shared/default-generator';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/settings';
import { isRecord } from '../util/errors';

export const SETTINGS_VERSION = 3;

type Raw = Record<string, unknown>;
/** Each step upgrades stored settings from version i to i + 1. Append, never edit a shipped step. */
export const MIGRATIONS: readonly ((raw: Raw) => Raw)[] = [
  // 0 -> 1: early builds stored concurrency as a string.
  (raw) => ({ ...raw, concurrency: typeof raw.concurrency === 'string' ? Number(raw.concurrency) : raw.concurrency }),
  // 1 -> 2: the generator now follows the key unless chosen. Every file held the default model, so only
  // a model other than the old default (Tripo v2.5) is known to be the user's choice, and stays.
  (raw) => ({ ...raw, defaultModelChosen: typeof raw.defaultModel === 'string' && raw.defaultModel !== DEFAULT_MODEL_ID }),
  // 2 -> 3: exports go only to folders chosen in the folder picker. An output folder already stored
  // was set by the user before that rule, so it counts as chosen.
  (raw) => ({ ...raw, exportFolders: typeof raw.outputFolder === 'string' && raw.outputFolder !== '' ? [raw.outputFolder] : [] }),
];

export interface LoadedSettings {
  settings: Settings;
  version: number;
  warnings: string[];
}

/** Upgrades and validates stored settings; anything that fails the schema is reset, never a crash. */
export function loadSettings(stored: unknown, storedVersion: number): LoadedSettings {
  const warnings: string[] = [];
  if (stored !== undefined && stored !== null && !isRecord(stored)) {
    warnings.push('The stored settings were unreadable and have been reset to the defaults.');
  }
  let raw: Raw = isRecord(stored) ? { ...stored } : {};
  const from = Number.isInteger(storedVersion) ? Math.max(0, storedVersion) : 0;
  if (from > SETTINGS_VERSION) {
    warnings.push('The settings were written by a newer version of the app; settings this version does not know were ignored.');
  }
  for (let v = from; v < SETTINGS_VERSION; v++) {
    try {
      raw = MIGRATIONS[v]!(raw);
    } catch {
      // A migration that chokes on odd data must not stop the app: validation below resets what is wrong.
    }
  }
  const result = SettingsSchema.safeParse(raw);
  if (result.success) return { settings: result.data, version: SETTINGS_VERSION, warnings };
  // Keep every valid field; reset only the broken ones, and say which.
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const shape = SettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (!(key in raw)) continue;
    const field = shape[key].safeParse(raw[key]);
    if (field.success) settings[key] = field.data;
    else warnings.push(`The stored setting "${key}" was invalid and has been reset to its default.`);
  }
  return { settings: SettingsSchema.parse(settings), version: SETTINGS_VERSION, warnings };
}
