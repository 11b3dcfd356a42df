// electron-builder.yml (packaging cannot run here): it must pass electron-builder's own schema, keep the
// native-module rules, set the release fuses, and ship the Electron SQLite driver exactly where the
// main process looks for it (src/main/app-paths.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { nativeFolderName, resourceFile, sqliteBindingPath } from '../../src/main/app-paths';
import { SAMPLE_IDS, sampleFileName } from '../../src/shared/samples';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../..');
// electron-builder's own YAML reader and validator (dependencies of electron-builder).
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debug: { add(): void; isEnabled: boolean }): Promise<void>;
};

interface BuilderConfig {
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string; filter: string[] }[];
  electronFuses: Record<string, boolean>;
  files: string[];
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
}
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; main: string };

describe('electron-builder.yml', () => {
  it("passes electron-builder's configuration schema", async () => {
    await expect(validateConfiguration(config, { add() {}, isEnabled: false })).resolves.toBeUndefined();
  });

  it('builds AppImage and deb, dmg, and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('never rebuilds native modules and unpacks better-sqlite3 and sharp from the asar', () => {
    expect(config.npmRebuild).toBe(false);
    const unpacked = config.asarUnpack.join(' ');
    expect(unpacked).toMatch(/better-sqlite3/);
    expect(unpacked).toMatch(/sharp/);
    expect(unpacked).toMatch(/@img/);
  });

  it('sets the release fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // The page is served from app://, so file:// needs no extra privileges.
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the built app that package.json points at', () => {
    expect(pkg.main).toBe('out/main/index.js');
    expect(config.files).toContain('out/**');
    expect(pkg.scripts.dist).toBe('node scripts/electron-native.mjs && electron-vite build && electron-builder');
  });

  it('puts the Electron SQLite driver where the packaged app looks for it', () => {
    const loc = { isPackaged: true, resourcesPath: '/opt/Image2Model/resources', appPath: '/x', electronVersion: '45.5.0', platform: 'linux' as const, arch: 'x64' };
    const native = config.extraResources.find((r) => r.from === '.native')!;
    expect(native).toBeDefined();
    // The filter with electron-builder's macros expanded for this target.
    const filter = native.filter[0]!.replace('${platform}', loc.platform).replace('${arch}', loc.arch);
    const shippedAs = join(loc.resourcesPath, native.to, nativeFolderName(loc), 'better_sqlite3.node');
    expect(new RegExp(`^${filter.replace(/[.]/g, '\\.').replace('*', '[^/]+')}$`).test(`${nativeFolderName(loc)}/better_sqlite3.node`)).toBe(true);
    expect(sqliteBindingPath(loc)).toBe(shippedAs);
  });

  it('ships the icons where the packaged app looks for them', () => {
    const icons = config.extraResources.find((r) => r.from === 'resources')!;
    expect(icons.filter).toEqual(expect.arrayContaining(['icon.png', 'drag-icon.png']));
    const loc = { isPackaged: true, resourcesPath: '/r', appPath: '/x' };
    expect(resourceFile(loc, 'drag-icon.png')).toBe(join('/r', icons.to, 'drag-icon.png'));
  });

  it('ships every sample photo where the packaged app looks for them', () => {
    const samples = config.extraResources.find((r) => r.from === 'resources/samples')!;
    expect(samples).toBeDefined();
    const loc = { isPackaged: true, resourcesPath: '/r', appPath: '/x' };
    expect(resourceFile(loc, 'samples')).toBe(join('/r', samples.to));
    const pattern = new RegExp(`^${samples.filter[0]!.replace(/[.]/g, '\\.').replace('*', '[^/]+')}$`);
    for (const id of SAMPLE_IDS) expect(pattern.test(sampleFileName(id)), sampleFileName(id)).toBe(true);
  });
});

describe('app paths in development', () => {
  it('finds the driver where scripts/electron-native.mjs builds it', async () => {
    const script = '../../scripts/electron-native.mjs'; // plain JS: imported by a runtime path, typed here
    const { electronBindingPath } = (await import(script)) as { electronBindingPath(v: string, p?: string, a?: string): string };
    const loc = { isPackaged: false, resourcesPath: '/unused', appPath: root, electronVersion: '45.5.0', platform: 'darwin' as const, arch: 'arm64' };
    expect(sqliteBindingPath(loc)).toBe(electronBindingPath('45.5.0', 'darwin', 'arm64'));
  });

  it('has every sample photo of the catalog in resources/samples, as a JPEG the intake accepts without a warning', async () => {
    const loc = { isPackaged: false, resourcesPath: '/unused', appPath: root };
    for (const id of SAMPLE_IDS) {
      const meta = await sharp(join(resourceFile(loc, 'samples'), sampleFileName(id))).metadata();
      expect(meta.format, id).toBe('jpeg');
      expect(Math.min(meta.width, meta.height), id).toBeGreaterThanOrEqual(512);
    }
  });

  it('reads icons from resources/, and the committed icons exist', () => {
    const loc = { isPackaged: false, resourcesPath: '/unused', appPath: root };
    for (const name of ['icon.png', 'drag-icon.png']) {
      const bytes = readFileSync(resourceFile(loc, name));
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    }
  });
});
