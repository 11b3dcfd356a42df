// One life of the desktop app's core for the kill tests (kill-app.test.ts): built as the app builds it
// (createAppCore: the watched folder, the key vault, settings in the data folder, background
// reconciliation), with the engine's fast test timing, against the fake FAL server.
//   app-child <dataDir> <proxyUrl>
// Waits for "go [key]" on stdin (the next life loads while this one works; the key is the one the app
// holds from its keychain at this start, if any), starts, prints "ready". Then,
// one command a line:
//   key <key>       saves the key, as Settings does (key:set), and prints "key set"
//   watch <folder>  turns the watched folder on, as choosing it in Settings does, and prints "watching"
//   stop            waits until the queue is idle, stops cleanly and prints "stopped"
import { join } from 'node:path';
import { createAppCore } from '../../src/core/app-core';
import type { Engine } from '../../src/core/engine';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../src/core/keys/route-store';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { FAST_ENGINE } from '../support/fast-engine-timing';

const [dataDir, proxyUrl] = process.argv.slice(2);
if (!dataDir || !proxyUrl) {
  process.stderr.write('usage: app-child <dataDir> <proxyUrl>\n');
  process.exit(2);
}

const lines: string[] = [];
let wake: (() => void) | null = null;
let buffered = '';
process.stdin.on('data', (chunk: Buffer) => {
  buffered += chunk.toString();
  const parts = buffered.split('\n');
  buffered = parts.pop()!;
  lines.push(...parts);
  wake?.();
});
// The test holds stdin open; if it goes away, so does this life (no orphans).
process.stdin.on('end', () => process.exit(0));
async function nextLine(): Promise<string> {
  while (lines.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return lines.shift()!;
}

let go = '';
while (!(go = await nextLine()).startsWith('go'));
const held = go.slice('go'.length).trim();
const keys = createMemoryKeyVault(held ? { FAL_KEY: held } : {});
const quiet = (level: string) => (message: string, detail?: unknown) =>
  process.stderr.write(`${level} ${message}${detail instanceof Error ? ` ${detail.message}` : ''}\n`);
const core = createAppCore({
  dataDir,
  keys,
  billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
  route: createMemoryRouteStore({ proxyUrl, sendKeyToProxy: true }),
  settings: createFileSettingsStore(join(dataDir, 'settings.json')),
  platform: createHeadlessPlatform(),
  appInfo: { name: 'Image2Model', version: 'kill-test', dataDir, fileBaseUrl: 'x://', platform: process.platform, transport: 'electron' },
  logger: { info: () => undefined, warn: quiet('warn'), error: quiet('error') },
  engineOverrides: FAST_ENGINE,
});
await core.start(() => undefined);
process.stdout.write('ready\n');

for (;;) {
  const [command, ...rest] = (await nextLine()).split(' ');
  const arg = rest.join(' ');
  if (command === 'key') {
    const answer = await core.dispatch('key:set', { key: arg });
    if (!answer.ok) throw new Error(`key:set refused: ${answer.error.message}`);
    process.stdout.write('key set\n');
  } else if (command === 'watch') {
    await core.watch.turnOn(arg);
    process.stdout.write('watching\n');
  } else if (command === 'stop') {
    await (core.engine as Engine).waitForIdle();
    await core.stop();
    await (core.engine as Engine).close();
    process.stdout.write('stopped\n');
    process.exit(0);
  }
}
