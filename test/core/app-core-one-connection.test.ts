// The app core opens the data folder's database once: the engine and FAL's platform work (spend,
// prices, reconciliation) share the connection. On two connections each units record FAL reports
// with a result emptied the engine's page cache (its next transaction read the pages back: ~55 more
// read calls per job in the queue bench) and looked to its change watch like another process's work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';

const opened = vi.hoisted(() => [] as string[]);
const closes = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/core/db/open', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/db/open')>();
  return {
    ...real,
    openDatabase: (...args: Parameters<typeof real.openDatabase>) => {
      opened.push(args[0]);
      const db = real.openDatabase(...args);
      const close = db.close.bind(db);
      db.close = () => {
        if (db.open) closes.count++;
        return close();
      };
      return db;
    },
  };
});

const { createAppCore } = await import('../../src/core/app-core');
const { createMemoryKeyVault } = await import('../../src/core/keys/memory-vault');
const { createHeadlessPlatform } = await import('../../src/core/platform');
const { createFileSettingsStore } = await import('../../src/core/settings/file-store');

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

it('the engine and the platform work share one database connection, closed once with the engine', async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-one-connection-'));
  const dataDir = join(dir, 'data');
  const core = createAppCore({
    dataDir,
    keys: createMemoryKeyVault({}),
    settings: createFileSettingsStore(join(dataDir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  expect(opened.filter((at) => at === dataDir)).toHaveLength(1);
  await core.start(() => {});
  // The platform's part of the stop does not close the connection the engine still uses: the engine
  // (closed by the stop) closes it, once.
  await core.stop();
  expect(closes.count).toBe(1);
});
