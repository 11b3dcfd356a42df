import { describe, expect, it } from 'vitest';
import { loadSettings, MIGRATIONS, SETTINGS_VERSION } from '../../../src/core/settings/migrate';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';

describe('loadSettings', () => {
  it('has one migration per version step', () => {
    expect(MIGRATIONS).toHaveLength(SETTINGS_VERSION);
  });

  it('never throws, whatever was stored', () => {
    const odd: unknown[] = [null, undefined, 42, 'text', [], { concurrency: { toString: null } }, Object.create(null), { theme: Symbol('x') }];
    for (const stored of odd) {
      for (const version of [0, 1, -3, 2.5, Number.NaN, 999]) {
        const loaded = loadSettings(stored, version);
        expect(loaded.version).toBe(SETTINGS_VERSION);
        expect(Object.keys(loaded.settings).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
      }
    }
  });
});
