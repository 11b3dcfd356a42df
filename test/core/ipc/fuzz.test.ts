// Every channel of the real core (createAppCore: engine, handlers, dispatcher; temp data dir, memory key
// vault, JSON settings, headless platform) fed random and malformed payloads. Each call must answer a
// well-formed Result - data that passes the channel's output schema, or an error with a known code -
// schema-breaking input must be refused as invalid_input, nothing may crash, and no file outside the
// data directory may change.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, CHANNEL_NAMES, events, type ChannelName } from '../../../src/shared/contract';
import { ERROR_CODES, type Result } from '../../../src/shared/result';
import { createAppCore, type AppCore } from '../../../src/core/app-core';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../../src/core/keys/route-store';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import { makeTestPng } from '../../fixtures/make-glb';
import { FAST_TIMING } from '../engine/harness';

// ---- a small seeded generator, so a failure can be replayed (the seed is printed) ----------------
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (max: number) => Math.floor(rand() * max);

let sandbox: string;
let dataDir: string;
let outside: string;

function strings(): string[] {
  return [
    '',
    ' ',
    'a',
    'x'.repeat(5000),
    '../../../../etc/passwd',
    '/etc/passwd',
    '/dev/zero',
    '/dev/urandom',
    join(outside, 'canary.txt'),
    join(outside, 'photo.png'),
    join(outside, 'fifo'),
    outside,
    `${dataDir}/../outside/canary.txt`,
    'C:\\Windows\\System32\\drivers\\etc\\hosts',
    '\\\\server\\share\\x.png',
    'file:///etc/passwd',
    'https://evil.example/',
    'javascript:alert(1)',
    '__proto__',
    'constructor',
    'null',
    '%2e%2e%2f',
    '\u0000',
    'naïve 📷 名前.png',
    'tripo3d/tripo/v2.5/image-to-3d',
    'draft',
    'glb',
    'fal-ai/../../x',
  ];
}

function randomValue(depth = 0): unknown {
  const kind = int(depth > 2 ? 7 : 10);
  switch (kind) {
    case 0:
      return pick([undefined, null]);
    case 1:
      return pick([true, false]);
    case 2:
      return pick([0, -0, 1, -1, 2.5, 8, 9, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1]);
    case 3:
    case 4:
      return pick(strings());
    case 5:
      return new Uint8Array(Array.from({ length: int(64) }, () => int(256)));
    case 6:
      return pick([10n, new Date(0), new Map(), new Set([1])]);
    case 7:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    default: {
      const keys = ['id', 'items', 'path', 'name', 'url', 'key', 'tags', 'format', 'query', 'offset', 'limit', 'kind', 'bytes',
        'endpoint', 'preset', 'options', 'force', 'confirm', 'allowWeak', 'concurrency', 'theme', '__proto__', 'constructor', 'sort'];
      const out: Record<string, unknown> = {};
      for (let i = int(5); i >= 0; i--) Object.defineProperty(out, pick(keys), { value: randomValue(depth + 1), enumerable: true, writable: true, configurable: true });
      return out;
    }
  }
}

/** Payloads close to valid for each channel: the right keys with wrong or hostile values. */
function nearMisses(channel: ChannelName): unknown[] {
  const s = strings();
  const item = () => pick([
    { kind: 'path', path: pick(s) },
    { kind: 'bytes', name: pick(s), bytes: new Uint8Array(Array.from({ length: int(200) }, () => int(256))) },
    { kind: 'bytes', name: 'x.png', bytes: pick(s) },
    { kind: pick(['file', 'url', 'PATH', '']), path: pick(s) },
  ]);
  const common = [undefined, null, {}, [], 'x', 1, { id: pick(s) }];
  switch (channel) {
    case 'jobs:add':
      return [...common, { items: [] }, { items: [item(), item()] }, { items: Array.from({ length: 3 }, item), endpoint: pick(s), preset: pick(s) },
        { items: [item()], options: { seed: -1, texture: pick(s), face_limit: 1e12 } }, { items: [item()], endpoint: 'fal-ai/unknown/model' }];
    case 'jobs:addFolder':
      return [...common, { path: outside }, { path: pick(s) }, { path: dataDir }, { path: join(outside, 'canary.txt') }, { path: '' }];
    case 'jobs:pick':
      return [...common, { endpoint: pick(s) }, { preset: 'high' }, { options: pick([null, [], 'x']) }];
    case 'library:list':
      return [...common, { offset: -1 }, { limit: 0 }, { limit: 501 }, { query: 'x'.repeat(201) }, { sort: pick(s) }, { query: "'; DROP TABLE jobs; --" }];
    case 'library:rename':
      return [...common, { id: pick(s), name: pick(s) }, { id: 'a', name: '   ' }];
    case 'library:setTags':
      return [...common, { id: pick(s), tags: [pick(s), pick(s)] }, { id: 'a', tags: Array.from({ length: 60 }, (_, i) => `t${i}`) }];
    case 'settings:set':
      return [...common, { concurrency: pick([0, 9, 2.5, '3', -1]) }, { theme: pick(s) }, { falProxyUrl: pick(s) }, { outputFolder: 5 }, { unknown: 1 },
        { concurrency: 3 }, { notifications: false }, { theme: 'dark' }];
    case 'key:set':
      return [...common, { key: pick(s) }, { key: 'short' }, { key: 'has white space in it' }, { key: 'y'.repeat(501) }, { key: 'fuzz-key-0123456789', allowWeak: 'yes' }];
    case 'export:model':
      return [...common, { id: pick(s), format: pick(['glb', 'obj', 'stl', 'fbx', '', 5]) }];
    case 'shell:openExternal':
      return [...common, { url: pick(s) }, { url: 'http://fal.ai/' }, { url: 'https://fal.ai.evil.com/' }, { url: 'https://user:pw@fal.ai/' }];
    case 'jobs:retry':
      return [...common, { id: pick(s), confirm: pick([true, 'yes', 1]) }];
    case 'jobs:setModel':
      return [...common, { id: pick(s), endpoint: pick(s) }, { id: pick(s), endpoint: 'offline/relief', preset: pick(s) }, { id: 'x', endpoint: 'fal-ai/unknown/model' }];
    default:
      return [...common, { id: pick(s) }, { id: '' }, { id: 'x'.repeat(201) }, { id: 7 }];
  }
}

// ---- what a Result may look like ----------------------------------------------------------------
function checkResult(channel: ChannelName, input: unknown, result: Result<unknown>) {
  const label = `${channel} <- ${describeInput(input)}`;
  expect(result, label).toBeTypeOf('object');
  if (result.ok) {
    expect(Object.keys(result).sort(), label).toEqual(['data', 'ok']);
    const output = channels[channel].output.safeParse(result.data);
    expect(output.success, `${label}: output breaks the schema`).toBe(true);
  } else {
    expect(Object.keys(result).sort(), label).toEqual(['error', 'ok']);
    expect(Object.keys(result.error).sort(), label).toEqual(['code', 'message']);
    expect(ERROR_CODES as readonly string[], label).toContain(result.error.code);
    expect(result.error.message, label).toBeTypeOf('string');
    expect(result.error.message.length, label).toBeGreaterThan(0);
  }
}

function describeInput(input: unknown): string {
  try {
    return JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `<${v.length} bytes>` : v))?.slice(0, 200) ?? String(input);
  } catch {
    return String(input);
  }
}

/** Every file under `dir` except the data directory, with its size, mtime and content hash. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (full === dataDir) continue;
      const rel = relative(dir, full);
      if (entry.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(full);
      } else if (entry.isFile()) {
        const info = statSync(full);
        out[rel] = `${info.size} ${info.mtimeMs} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
      } else out[rel] = 'other';
    }
  };
  walk(dir);
  return out;
}

let fake: FakeFal;
let core: AppCore;
const emitted: { event: string; payload: unknown }[] = [];
let before: Record<string, string>;

beforeAll(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'i2m-fuzz-'));
  dataDir = join(sandbox, 'data');
  outside = join(sandbox, 'outside');
  mkdirSync(join(outside, 'nested'), { recursive: true });
  writeFileSync(join(outside, 'canary.txt'), 'must not change');
  writeFileSync(join(outside, 'photo.png'), await makeTestPng(64, 64, { seed: 7 }));
  writeFileSync(join(outside, 'nested', 'other.png'), await makeTestPng(48, 48, { seed: 8 }));
  try {
    execFileSync('mkfifo', [join(outside, 'fifo')]);
  } catch {
    // No mkfifo: the FIFO case is skipped.
  }
  before = snapshot(sandbox);
  // FAL refuses every key here, so nothing the fuzz queues can reach the real network or finish.
  fake = await startFakeFal({ acceptedKeys: ['only-this-key-is-accepted'] });
  const settings = createFileSettingsStore(join(dataDir, 'settings.json'));
  core = createAppCore({
    dataDir,
    keys: createMemoryKeyVault({}),
    settings,
    route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
    platform: createHeadlessPlatform({ exportDir: join(dataDir, 'exports'), pickedImages: () => [join(outside, 'photo.png')] }),
    appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'i2m://library/', platform: process.platform, transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    engineOverrides: { timing: FAST_TIMING, backoff: { baseMs: 20, capMs: 200 } },
  });
  await core.start((event, payload) => emitted.push({ event, payload }));
  console.log(`fuzz seed ${SEED} (set FUZZ_SEED to replay)`);
});

afterAll(async () => {
  await core?.stop();
  await fake?.close();
  rmSync(sandbox, { recursive: true, force: true });
});

/** A call that must answer: a hang is reported as a failure, not as a stuck test run. */
async function call(channel: string, input: unknown): Promise<Result<unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${channel} did not answer within 10 s for ${describeInput(input)}`)), 10_000);
  });
  try {
    return await Promise.race([core.dispatch(channel, input), hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe('IPC fuzz against the real core', () => {
  it('refuses schema-breaking input on every channel with invalid_input', async () => {
    let refused = 0;
    for (const channel of CHANNEL_NAMES) {
      const candidates = [...nearMisses(channel), ...Array.from({ length: 25 }, () => randomValue())];
      for (const input of candidates) {
        if (channels[channel].input.safeParse(input).success) continue;
        const result = await call(channel, input);
        checkResult(channel, input, result);
        expect(result.ok, `${channel} accepted ${describeInput(input)}`).toBe(false);
        if (!result.ok) expect(result.error.code, `${channel} <- ${describeInput(input)}`).toBe('invalid_input');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(CHANNEL_NAMES.length * 10);
  });

  it('answers every payload, valid or not, with a well-formed Result', async () => {
    let valid = 0;
    for (let round = 0; round < 3; round++) {
      for (const channel of CHANNEL_NAMES) {
        for (const input of [...nearMisses(channel), randomValue(), randomValue()]) {
          if (channels[channel].input.safeParse(input).success) valid++;
          checkResult(channel, input, await call(channel, input));
        }
      }
    }
    // The near misses include real calls, so handlers (not only the parser) were exercised.
    expect(valid).toBeGreaterThan(CHANNEL_NAMES.length);
  });

  it('refuses unknown and hostile channel names', async () => {
    for (const name of ['', 'nope', '__proto__', 'constructor', 'hasOwnProperty', 'jobs:add ', 'JOBS:ADD', 'event:job:changed', 'x'.repeat(10_000)]) {
      const result = await call(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('sent only contract events with valid payloads', () => {
    for (const { event, payload } of emitted) {
      expect(Object.keys(events)).toContain(event);
      expect(events[event as keyof typeof events].safeParse(payload).success, event).toBe(true);
    }
  });

  it('changed no file outside the data directory', () => {
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['outside/canary.txt', 'outside/photo.png', 'outside/nested/other.png']));
    expect(snapshot(sandbox)).toEqual(before);
  });
});
