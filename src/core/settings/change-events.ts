// A settings store that tells listeners what it holds after each change, so every window shows the
// settings the app uses (a generator chosen in one window is the one the others show and send jobs with).
import type { Settings, SettingsPatch } from '../../shared/settings';
import type { SettingsStore } from '../services-types';

export interface ObservedSettingsStore extends SettingsStore {
  onChange(listener: (settings: Settings) => void): () => void;
}

/** Written by the watched folder about once a minute while it runs; no window shows it. */
const UNSHOWN_KEYS: ReadonlySet<string> = new Set(['watchLastRanAt']);

export function observeSettings(store: SettingsStore): ObservedSettingsStore {
  const listeners = new Set<(settings: Settings) => void>();
  return {
    get: () => store.get(),
    warnings: () => store.warnings(),
    set(patch: SettingsPatch) {
      const next = store.set(patch);
      if (Object.keys(patch).some((key) => !UNSHOWN_KEYS.has(key))) {
        for (const listener of [...listeners]) {
          try {
            listener(next);
          } catch {
            // A window that cannot be told is no reason to call a saved change refused.
          }
        }
      }
      return next;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
