// Attack (issue 10 item 1, the new platform channels): a page that can call settings:set points
// falProxyUrl at a listener it controls, then asks for prices / a spend sync / a reconcile pass.
// FAL's platform calls go through the configured proxy with `Authorization: Key <key>` - so the
// main key and the admin (billing) key reach the listener without any confirmation in main.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../src/core/app-core';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { withFalUnreachable } from '../support/fal-unreachable';

const MAIN_KEY = 'attack-main-id:MAIN-SECRET-71f0c2e9';
const ADMIN_KEY = 'attack-admin-id:ADMIN-SECRET-4be81d07';
let core: AppCore | undefined;
let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  await core?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
  core = server = dir = undefined;
});

// Fixed (issue 10 item 1): settings:set cannot change the proxy; proxy:set needs the main-process
// confirmation, and every platform call passes the key guard with the confirmed route.
it('settings:set alone does not make prices/spend/reconcile send a key to another host', async () => {
  const seen: string[] = [];
  server = createServer((req, res) => {
    seen.push(String(req.headers.authorization ?? ''));
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const listener = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  dir = mkdtempSync(join(tmpdir(), 'i2m-attack-steer-'));
  core = createAppCore({
    dataDir: dir,
    keys: createMemoryKeyVault({ FAL_KEY: MAIN_KEY }),
    billingKeys: createMemoryKeyVault({ FAL_ADMIN_KEY: ADMIN_KEY }, 'FAL_ADMIN_KEY'),
    settings: createFileSettingsStore(join(dir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    // The direct route stays (that is the point); FAL's own hosts are unreachable, never the real FAL.
    fetch: withFalUnreachable(),
  });
  await core.start(() => {});
  // Let the start-up checks (to api.fal.ai, unreachable here) finish, so the calls below are new ones.
  await core.dispatch('prices:refresh', undefined);
  await core.dispatch('spend:sync', undefined);
  await core.dispatch('settings:set', { falProxyUrl: listener });
  await core.dispatch('prices:refresh', undefined);
  await core.dispatch('spend:sync', undefined);
  const leaked = seen.filter((auth) => auth.includes('SECRET'));
  expect(leaked).toEqual([]);
});
