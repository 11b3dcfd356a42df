// The app core opens the data folder's database before it makes the FAL platform work and the engine
// (they share the connection). A start that failed after that - a data folder whose `library` is a
// file, or any part that throws while the core is put together - left the connection (and its
// descriptors on the database) open for the life of the process. Now nothing stays open.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { descriptorsOn } from '../support/open-descriptors';
import { waitForValue } from '../support/temp-app-core';

const fail = vi.hoisted(() => ({ platform: false, exports: false }));
vi.mock('../../src/core/fal-platform', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/fal-platform')>();
  return {
    ...real,
    createFalPlatform: (...args: Parameters<typeof real.createFalPlatform>) => {
      if (fail.platform) throw new Error('platform could not be made');
      return real.createFalPlatform(...args);
    },
  };
});
vi.mock('../../src/core/export/service', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/export/service')>();
  return {
    ...real,
    createExportService: (...args: Parameters<typeof real.createExportService>) => {
      if (fail.exports) throw new Error('exports could not be made');
      return real.createExportService(...args);
    },
  };
});

const { createAppCore } = await import('../../src/core/app-core');
const { createMemoryKeyVault } = await import('../../src/core/keys/memory-vault');
const { createHeadlessPlatform } = await import('../../src/core/platform');
const { createFileSettingsStore } = await import('../../src/core/settings/file-store');

let dir: string | null = null;
afterEach(() => {
  fail.platform = fail.exports = false;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** A data folder made for the test; `prepare` may spoil it. */
function dataFolder(prepare: (dataDir: string) => void = () => {}): string {
  dir = mkdtempSync(join(tmpdir(), 'i2m-failed-start-'));
  const dataDir = join(realpathSync(dir), 'data');
  mkdirSync(dataDir);
  prepare(dataDir);
  return dataDir;
}

function start(dataDir: string): unknown {
  try {
    createAppCore({
      dataDir,
      keys: createMemoryKeyVault({}),
      settings: createFileSettingsStore(join(dataDir, 'settings.json')),
      platform: createHeadlessPlatform(),
      appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    return null;
  } catch (error) {
    return error;
  }
}

const openOnDatabase = (dataDir: string) => descriptorsOn(join(dataDir, 'image2model.db')).size + descriptorsOn(join(dataDir, 'image2model.db-wal')).size;

it('a data folder whose library is a file: the start fails and leaves the database closed', () => {
  const dataDir = dataFolder((d) => writeFileSync(join(d, 'library'), 'not a folder'));
  expect(String(start(dataDir))).toMatch(/library is not a folder/);
  expect(openOnDatabase(dataDir)).toBe(0);
});

it('the FAL platform work failing to be made leaves the database closed', () => {
  fail.platform = true;
  const dataDir = dataFolder();
  expect(String(start(dataDir))).toMatch(/platform could not be made/);
  expect(openOnDatabase(dataDir)).toBe(0);
});

it('a part failing after the engine was made: the engine closes, and the database with it', async () => {
  fail.exports = true;
  const dataDir = dataFolder();
  expect(String(start(dataDir))).toMatch(/exports could not be made/);
  // The engine's close is asynchronous (its checkpoint worker ends first).
  await waitForValue(() => (openOnDatabase(dataDir) === 0 ? true : null), 10_000, 'the database to be closed');
});
