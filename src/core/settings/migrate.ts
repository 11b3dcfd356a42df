// Settings migrations and the reset-on-invalid rule shared by electron-store and the headless file store.
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../shared/settings';

export const SETTINGS_VERSION = 1;

type Raw = Record<string, unknown>;
/** Each step upgrades stored settings from version i to i + 1. */
const MIGRATIONS: ((raw: Raw) => Raw)[] = [
  // 0 -> 1: early builds stored concurrency as a string.
  (raw) => ({ ...raw, concurrency: typeof raw.concurrency === 'string' ? Number(raw.concurrency) : raw.concurrency }),
];

export interface LoadedSettings {
  settings: Settings;
  version: number;
  warnings: string[];
}

/** Upgrades and validates stored settings; anything that fails the schema is reset, never a crash. */
export function loadSettings(stored: unknown, storedVersion: number): LoadedSettings {
  const warnings: string[] = [];
  let raw: Raw = stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...(stored as Raw) } : {};
  for (let v = Math.max(0, storedVersion); v < SETTINGS_VERSION; v++) raw = MIGRATIONS[v]!(raw);
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
