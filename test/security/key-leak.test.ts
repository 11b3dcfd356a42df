// The FAL key must never reach the renderer, the logs or the disk. This runs whole jobs through the
// real core (createAppCore) against the fake FAL server with FAL_KEY set - one that succeeds, one
// whose failure message from FAL echoes the key - then calls every channel the renderer has, and
// scans every response, every event, every log line (as the engine wrote it, before any logger
// redaction) and every file in the data directory, SQLite included, for the key and its secret half.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type ChannelName } from '../../src/shared/contract';
import type { Job } from '../../src/shared/domain';
import type { Result } from '../../src/shared/result';
import { createAppCore, type AppCore } from '../../src/core/app-core';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../src/core/keys/route-store';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { createLogger } from '../../src/main/logger';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { makeTestPng } from '../fixtures/make-glb';
import { FAST_TIMING } from '../core/engine/harness';

const KEY = '5e2f9a1c-7b3d-4e8f-a6b2-9c1d0e3f4a5b:8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a';
const SECRET = KEY.split(':')[1]!;
/** Forms the key could leak in. */
const NEEDLES = [KEY, SECRET, encodeURIComponent(KEY), Buffer.from(KEY).toString('base64'), Buffer.from(SECRET).toString('base64')];

let dataDir: string;
let fake: FakeFal;
let core: AppCore;
const events: { event: string; payload: unknown }[] = [];
const responses: { channel: string; result: Result<unknown> }[] = [];
const rawLogLines: string[] = [];
let mainLogFile = '';

const findings = (label: string, text: string) => NEEDLES.filter((needle) => text.includes(needle)).map((needle) => `${label} contains ${needle === KEY ? 'the key' : 'a form of the key'}`);

async function call(channel: ChannelName, input?: unknown) {
  const result = await core.dispatch(channel, input);
  responses.push({ channel, result });
  return result;
}

async function waitForTerminal(id: string): Promise<Job> {
  const until = Date.now() + 20_000;
  for (;;) {
    const job = core.engine.getJob(id);
    if (job && ['succeeded', 'failed', 'canceled', 'needs_attention'].includes(job.state)) return job;
    if (Date.now() > until) throw new Error(`job ${id} did not finish: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'i2m-keyleak-'));
  fake = await startFakeFal({ acceptedKeys: [KEY], processingMs: 50 });
  const settings = createFileSettingsStore(join(dataDir, 'settings.json'));
  const keys = createMemoryKeyVault({ FAL_KEY: KEY });
  // The main logger (redacting) writes a file; the raw lines are what the core handed it.
  const mainLogger = createLogger(join(dataDir, 'logs'), { secrets: () => [keys.get()], echoErrors: false });
  mainLogFile = mainLogger.file;
  const capture = (level: 'info' | 'warn' | 'error') => (message: string, detail?: unknown) => {
    rawLogLines.push(`${level} ${message} ${detail instanceof Error ? `${detail.message} ${detail.stack}` : JSON.stringify(detail) ?? ''}`);
    mainLogger[level](message, detail);
  };
  core = createAppCore({
    dataDir,
    keys,
    settings,
    route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
    platform: createHeadlessPlatform({ exportDir: join(dataDir, 'exports') }),
    appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'i2m://library/', platform: process.platform, transport: 'web' },
    logger: { info: capture('info'), warn: capture('warn'), error: capture('error') },
    engineOverrides: { timing: FAST_TIMING, backoff: { baseMs: 20, capMs: 200 }, maxAttempts: 1 },
  });
  await core.start((event, payload) => events.push({ event, payload: structuredClone(payload) }));

  // 1. A job that succeeds.
  const ok = await call('jobs:add', { items: [{ kind: 'bytes', name: 'cube.png', bytes: new Uint8Array(await makeTestPng(96, 96, { seed: 3 })) }] });
  if (!ok.ok) throw new Error(`jobs:add failed: ${JSON.stringify(ok)}`);
  const good = await waitForTerminal((ok.data as { added: Job[] }).added[0]!.id);
  expect(good.state).toBe('succeeded');

  // 2. A job FAL fails with a message that echoes the key and the Authorization header.
  fake.script({ op: 'submit', fault: { kind: 'validation', detail: `Invalid input; request had Authorization: Key ${KEY} (secret ${SECRET})` } });
  const bad = await call('jobs:add', { items: [{ kind: 'bytes', name: 'echo.png', bytes: new Uint8Array(await makeTestPng(96, 96, { seed: 4 })) }] });
  if (!bad.ok) throw new Error(`jobs:add failed: ${JSON.stringify(bad)}`);
  const failed = await waitForTerminal((bad.data as { added: Job[] }).added[0]!.id);
  expect(['failed', 'needs_attention']).toContain(failed.state);
  // FAL's message did reach the job (redacted), so the scans below look at a real echo.
  expect(failed.errorMessage).toMatch(/Authorization: \[redacted\]/);

  // 3. Every channel the renderer has, with real ids where they need one.
  const modelId = good.modelId!;
  const inputs: Partial<Record<ChannelName, unknown>> = {
    'jobs:cancel': { id: failed.id },
    'jobs:retry': { id: failed.id },
    'jobs:remove': { id: 'no-such-job' },
    'library:list': {},
    'library:get': { id: modelId },
    'library:rename': { id: modelId, name: 'Cube' },
    'library:setTags': { id: modelId, tags: ['test'] },
    'library:delete': { id: 'no-such-model' },
    'settings:set': { theme: 'dark' },
    'key:set': { key: `${KEY} trailing words` },
    'export:model': { id: modelId, format: 'glb' },
    'shell:reveal': { id: modelId },
    'shell:openModel': { id: modelId },
    'shell:openExternal': { url: `https://evil.example/?k=${encodeURIComponent(KEY)}` },
    'shell:startDrag': { id: modelId },
    'jobs:addFolder': { path: join(dataDir, 'no-such-folder') },
    'jobs:add': { items: [{ kind: 'path', path: join(dataDir, 'missing.png') }] },
  };
  for (const channel of CHANNEL_NAMES) {
    if (channel === 'jobs:clearFinished' || channel === 'key:clear') continue;
    await call(channel, inputs[channel]);
  }
  await call('jobs:clearFinished');
}, 60_000);

afterAll(async () => {
  await core?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000); // stopping the core waits for its jobs; slow on a loaded machine

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

describe('the FAL key stays in the main process', () => {
  it('was really used: FAL saw it on the authenticated calls', () => {
    const authorized = fake.requests.filter((r) => r.authorization === `Key ${KEY}`);
    expect(authorized.length).toBeGreaterThan(2);
    expect(responses.find((r) => r.channel === 'key:test')?.result).toMatchObject({ ok: true, data: { result: 'accepted' } });
    expect(responses.find((r) => r.channel === 'key:status')?.result).toMatchObject({ ok: true, data: { set: true, last4: '4b3a', source: 'environment' } });
  });

  it('is in no response and no event the renderer could receive', () => {
    expect(responses.length).toBeGreaterThanOrEqual(CHANNEL_NAMES.length);
    expect(events.some((e) => e.event === 'job:changed')).toBe(true);
    const problems = [
      ...responses.flatMap((r, i) => findings(`response ${i} (${r.channel})`, JSON.stringify(r.result))),
      ...events.flatMap((e, i) => findings(`event ${i} (${e.event})`, JSON.stringify(e.payload))),
    ];
    expect(problems).toEqual([]);
  });

  it('is in no log line the core wrote, nor in the main log file', () => {
    expect(findings('core log lines', rawLogLines.join('\n'))).toEqual([]);
    expect(findings('main.log', readFileSync(mainLogFile, 'utf8'))).toEqual([]);
  });

  it('is in no file of the data directory, the SQLite database included', () => {
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith('image2model.db'))).toBe(true);
    const problems = files.flatMap((file) => {
      const bytes = readFileSync(file);
      // Text search over the raw bytes (UTF-8 and UTF-16, as SQLite may store either).
      return [
        ...findings(file, bytes.toString('latin1')),
        ...findings(`${file} (utf16)`, bytes.toString('utf16le')),
      ];
    });
    expect(problems).toEqual([]);
    expect(files.every((f) => statSync(f).isFile())).toBe(true);
  });
});
