// What every settings store (electron-store in the app, the JSON file for the CLI/browser transport)
// must do: defaults, validated patches, persistence, migrations, and resetting what is broken with a
// warning instead of crashing. Each store's test file runs this suite.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsSchema, type SettingsPatch } from '../../../src/shared/settings';
import { AppError } from '../../../src/shared/result';
import { SETTINGS_VERSION } from '../../../src/core/settings/migrate';
import type { SettingsStore } from '../../../src/core/services-types';

export interface StoreUnderTest {
  open(dir: string): SettingsStore;
  /** The file the store keeps its data in. */
  file(dir: string): string;
}

export function describeSettingsStore(name: string, subject: StoreUnderTest): void {
  describe(`${name} settings store`, () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'i2m-settings-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const writeRaw = (content: unknown) =>
      writeFileSync(subject.file(dir), typeof content === 'string' ? content : JSON.stringify(content));

    it('starts with the defaults and no warnings', () => {
      const store = subject.open(dir);
      expect(store.get()).toEqual(DEFAULT_SETTINGS);
      expect(store.warnings()).toEqual([]);
    });

    it('saves every setting the app offers and reads them back after a restart', () => {
      const patch: SettingsPatch = {
        defaultModel: 'fal-ai/hunyuan3d/v2',
        defaultPreset: 'high',
        concurrency: 8,
        outputFolder: join(dir, 'exports'),
        exportAfterSuccess: true,
        theme: 'dark',
        notifications: false,
        uploadLimitMb: 25,
        falProxyUrl: 'http://127.0.0.1:8080/fal',
      };
      const saved = subject.open(dir).set(patch);
      expect(saved).toMatchObject(patch);
      expect(subject.open(dir).get()).toEqual(saved);
      expect(JSON.parse(readFileSync(subject.file(dir), 'utf8')).version).toBe(SETTINGS_VERSION);
    });

    it('changes only the keys a patch names', () => {
      const store = subject.open(dir);
      store.set({ concurrency: 5, falProxyUrl: 'http://127.0.0.1:9/fal', theme: 'light' });
      const after = store.set({ theme: 'dark' });
      expect(after).toEqual({ ...DEFAULT_SETTINGS, concurrency: 5, falProxyUrl: 'http://127.0.0.1:9/fal', theme: 'dark' });
      expect(subject.open(dir).get()).toEqual(after);
      expect(store.set({ falProxyUrl: null }).falProxyUrl).toBeNull();
    });

    it('refuses invalid patches with invalid_input and changes nothing', () => {
      const store = subject.open(dir);
      const bad: unknown[] = [
        { concurrency: 0 },
        { concurrency: 9 },
        { concurrency: 2.5 },
        { theme: 'pink' },
        { falProxyUrl: 'ftp://example.com' },
        { uploadLimitMb: -1 },
        { notAllowed: true },
      ];
      for (const patch of bad) {
        let code: string | null = null;
        try {
          store.set(patch as SettingsPatch);
        } catch (error) {
          code = error instanceof AppError ? error.code : 'not an AppError';
        }
        expect(code, JSON.stringify(patch)).toBe('invalid_input');
      }
      expect(store.get()).toEqual(DEFAULT_SETTINGS);
      expect(subject.open(dir).get()).toEqual(DEFAULT_SETTINGS);
    });

    it('resets only the stored fields that fail the schema, keeps the rest, and warns about each', () => {
      writeRaw({ version: SETTINGS_VERSION, settings: { concurrency: 99, theme: 'dark', notifications: 'yes', uploadLimitMb: 30 } });
      const store = subject.open(dir);
      expect(store.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', uploadLimitMb: 30 });
      expect(store.warnings()).toHaveLength(2);
      expect(store.warnings().join(' ')).toMatch(/concurrency/);
      expect(store.warnings().join(' ')).toMatch(/notifications/);
      // The repaired settings are what is on disk now.
      expect(SettingsSchema.parse(subject.open(dir).get())).toEqual(store.get());
    });

    it('keeps what it holds when a change cannot be saved (the app and the window go on with what a restart brings back)', () => {
      const store = subject.open(dir);
      store.set({ defaultModel: 'offline/relief' });
      // The file's place is taken by a folder: the save fails (as on a full or read-only disk).
      rmSync(subject.file(dir), { force: true });
      mkdirSync(join(subject.file(dir), 'blocked'), { recursive: true });
      expect(() => store.set({ defaultModel: 'tripo3d/tripo/v2.5/image-to-3d' })).toThrow(/could not be saved, so nothing was changed/);
      expect(store.get().defaultModel).toBe('offline/relief');
    });

    it('migrates settings stored by version 0 (concurrency as text)', () => {
      writeRaw({ version: 0, settings: { concurrency: '4', theme: 'light' } });
      const store = subject.open(dir);
      expect(store.get()).toMatchObject({ concurrency: 4, theme: 'light' });
      expect(store.warnings()).toEqual([]);
    });

    it('keeps an output folder stored by version 2 and counts it as chosen for exports', () => {
      const folder = join(dir, 'my-models');
      writeRaw({ version: 2, settings: { outputFolder: folder, exportAfterSuccess: true } });
      const store = subject.open(dir);
      expect(store.get()).toMatchObject({ outputFolder: folder, exportAfterSuccess: true, exportFolders: [folder] });
      expect(store.warnings()).toEqual([]);
      expect(subject.open(dir).get().exportFolders).toEqual([folder]);
    });

    it('resets a file that is not JSON, with a warning, instead of crashing', () => {
      writeRaw('{ this is not json');
      const store = subject.open(dir);
      expect(store.get()).toEqual(DEFAULT_SETTINGS);
      expect(store.warnings().length).toBeGreaterThan(0);
      store.set({ theme: 'dark' });
      expect(subject.open(dir).get().theme).toBe('dark');
    });

    it('resets settings that are not an object, with a warning', () => {
      writeRaw({ version: SETTINGS_VERSION, settings: ['not', 'an', 'object'] });
      const store = subject.open(dir);
      expect(store.get()).toEqual(DEFAULT_SETTINGS);
      expect(store.warnings().length).toBeGreaterThan(0);
    });

    it('warns when the settings come from a newer version, keeping what it understands', () => {
      writeRaw({ version: SETTINGS_VERSION + 5, settings: { theme: 'dark', somethingNew: 1 } });
      const store = subject.open(dir);
      expect(store.get().theme).toBe('dark');
      expect(store.warnings().join(' ')).toMatch(/newer version/);
    });
  });
}
