// Attack (issue 10 item 1): URL forms that look like FAL's own host but lead elsewhere. Whatever
// rule decides "FAL's host, no confirmation needed" must see through each; today any URL is
// accepted and used at once, so key:test hands the key to the listener for every form.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../src/core/app-core';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { withFalUnreachable } from '../support/fal-unreachable';

const KEY = 'attack-form-id:FORM-SECRET-0c4d2b';
let core: AppCore;
let server: Server;
let dir: string;
let port = 0;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.headers.host} ${String(req.headers.authorization ?? '')}`);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'i2m-attack-forms-'));
  core = createAppCore({
    dataDir: dir,
    keys: createMemoryKeyVault({ FAL_KEY: KEY }),
    settings: createFileSettingsStore(join(dir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    // The direct route stays (that is the point); FAL's own hosts are unreachable, never the real FAL.
    fetch: withFalUnreachable(),
  });
});
afterAll(async () => {
  await core.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const forms = (p: number) => [
  `http://queue.fal.run@127.0.0.1:${p}/`,
  `http://queue.fal.run:x@127.0.0.1:${p}/`,
  `HTTP://127.0.0.1:${p}/queue.fal.run`,
  `http://127.0.0.1:${p}/?host=queue.fal.run`,
  `http://127.0.0.1:${p}#@queue.fal.run`,
  `http://0x7f000001:${p}/`,
  `http://2130706433:${p}/`,
  `http://127.1:${p}/`,
];

it('no look-alike proxy URL set by the page receives the key from key:test', async () => {
  for (const url of forms(port)) {
    await core.dispatch('settings:set', { falProxyUrl: url });
    await core.dispatch('key:test', undefined);
  }
  expect(seen.filter((line) => line.includes('FORM-SECRET'))).toEqual([]);
}, 30_000);
