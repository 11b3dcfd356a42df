// The planted-key sweep: a distinctive FAL key, and a fake FAL server that echoes it in every place
// FAL can put text (401/403/422/5xx detail and message bodies, the X-Fal-Error-Type header, failed-run
// details, status logs, result file names). Jobs run through the real core (every event and every
// response collected), the browser transport (every WebSocket frame) and the CLI (plain and --json,
// as a user runs it). The key's secret
// part must appear nowhere: not in events, responses, any row of any SQLite table, the log files,
// any file of the data folders, nor the terminal.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import type { ChannelName } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { createAppCore, type AppCore } from '../../src/core/app-core';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../src/core/keys/route-store';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { createLogger } from '../../src/main/logger';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import type { FaultRule } from '../fake-fal/types';
import { makeTestPng } from '../fixtures/make-glb';
import { FAST_TIMING } from '../core/engine/harness';
import { runCli as runCliProcess, stopAllCliRuns } from '../support/cli-process';
import WebSocket from 'ws';
import { startBridge, type Bridge } from '../../src/web-bridge/server';
import { encodeWire } from '../../src/shared/wire';

const SECRET = 'PLANTEDSECRET0123456789abcdef';
const KEY = `sweep-key-id:${SECRET}`;
/** Forms the secret could leak in. */
const NEEDLES = [SECRET, encodeURIComponent(KEY), Buffer.from(KEY).toString('base64'), Buffer.from(SECRET).toString('base64')];
const ECHO = `request had Authorization: Key ${KEY}; key=${KEY}; secret ${SECRET}`;


/** FAL answers that carry the key in their text; each fails one job (auth ones pause the queue, so last). */
const ECHO_FAULTS: { label: string; rule: FaultRule }[] = [
  { label: '422 string detail', rule: { op: 'submit', fault: { kind: 'validation', detail: ECHO } } },
  {
    label: '422 field errors',
    rule: { op: 'submit', fault: { kind: 'validation', detail: [{ loc: ['body', ECHO], msg: ECHO, type: `value_error.${SECRET}` }] } },
  },
  { label: '500 detail and X-Fal-Error-Type', rule: { op: 'submit', fault: { kind: 'infra', status: 500, errorType: `err_${SECRET}`, detail: ECHO } } },
  {
    label: '400 message body and error header',
    rule: { op: 'submit', fault: { kind: 'http', status: 400, body: { message: ECHO, error: ECHO }, headers: { 'x-fal-error-type': SECRET } } },
  },
  { label: 'failed run detail', rule: { op: 'submit', outcome: { kind: 'failedRun', status: 422, detail: ECHO, errorType: `bad_${SECRET}` } } },
  { label: 'upload 500 plain text', rule: { op: ['initiate', 'upload'], fault: { kind: 'http', status: 500, body: ECHO } } },
];
const AUTH_FAULT: FaultRule = { op: 'submit', fault: { kind: 'auth', status: 401, detail: `No user found for Key ID and Secret: ${ECHO}` } };
const FORBIDDEN_FAULT: FaultRule = {
  op: ['submit', 'status', 'result', 'initiate', 'upload', 'platform'],
  fault: { kind: 'auth', status: 403, detail: `User is locked: ${ECHO}` },
};

const findings = (label: string, text: string) => NEEDLES.filter((needle) => text.includes(needle)).map((needle) => `${label} contains ${needle === SECRET ? 'the secret' : 'a form of the key'}`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/** Every file's bytes (as UTF-8 and UTF-16), its name, and every row of every SQLite table. */
function sweepFolder(dir: string): { problems: string[]; rows: number } {
  const problems: string[] = [];
  let rows = 0;
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    problems.push(...findings(`file name ${file}`, file), ...findings(file, bytes.toString('latin1')), ...findings(`${file} (utf16)`, bytes.toString('utf16le')));
    if (!file.endsWith('.db')) continue;
    const db = new Database(file, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      for (const { name } of tables) {
        for (const row of db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all()) {
          rows++;
          problems.push(...findings(`${file} table ${name}`, JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))));
        }
      }
    } finally {
      db.close();
    }
  }
  return { problems, rows };
}

let work: string;
let fake: FakeFal;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-sweep-'));
  fake = await startFakeFal({ acceptedKeys: [KEY], processingMs: 30 });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('planted-key sweep: the core', () => {
  let core: AppCore;
  let dataDir: string;
  let mainLogFile = '';
  const events: { event: string; payload: unknown }[] = [];
  const responses: { channel: string; result: Result<unknown> }[] = [];
  const rawLogLines: string[] = [];
  const jobs: Job[] = [];
  let succeeded: Job | undefined;

  const call = async (channel: ChannelName, input?: unknown) => {
    const result = await core.dispatch(channel, input);
    responses.push({ channel, result });
    return result;
  };
  const addJob = async (seed: number): Promise<string> => {
    const added = await call('jobs:add', { items: [{ kind: 'bytes', name: `sweep-${seed}.png`, bytes: new Uint8Array(await makeTestPng(64, 64, { seed })) }] });
    if (!added.ok) throw new Error(`jobs:add failed: ${JSON.stringify(added)}`);
    return (added.data as { added: Job[] }).added[0]!.id;
  };
  const waitFor = async (what: string, done: () => boolean) => {
    const until = Date.now() + 15_000;
    while (!done()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const terminal = (id: string) => ['succeeded', 'failed', 'canceled', 'needs_attention'].includes(core.engine.getJob(id)?.state ?? '');

  beforeAll(async () => {
    dataDir = join(work, 'core-data');
    const keys = createMemoryKeyVault({ FAL_KEY: KEY });
    const mainLogger = createLogger(join(dataDir, 'logs'), { secrets: () => [keys.get()], echoErrors: false });
    mainLogFile = mainLogger.file;
    const capture = (level: 'info' | 'warn' | 'error') => (message: string, detail?: unknown) => {
      rawLogLines.push(`${level} ${message} ${detail instanceof Error ? `${detail.message} ${detail.stack}` : JSON.stringify(detail) ?? ''}`);
      mainLogger[level](message, detail);
    };
    core = createAppCore({
      dataDir,
      keys,
      settings: createFileSettingsStore(join(dataDir, 'settings.json')),
      route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
      platform: createHeadlessPlatform({ exportDir: join(dataDir, 'exports') }),
      appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'i2m://library/', platform: process.platform, transport: 'web' },
      logger: { info: capture('info'), warn: capture('warn'), error: capture('error') },
      engineOverrides: { timing: FAST_TIMING, backoff: { baseMs: 20, capMs: 200 }, maxAttempts: 1 },
    });
    await core.start((event, payload) => events.push({ event, payload: structuredClone(payload) }));

    let seed = 10;
    for (const { rule } of ECHO_FAULTS) {
      fake.script(rule);
      const id = await addJob(seed++);
      await waitFor(`job ${id} to end`, () => terminal(id));
      jobs.push(core.engine.getJob(id)!);
    }
    // A job that succeeds with the key in its status logs and its result files' names.
    fake.script({ op: 'submit', outcome: { kind: 'echoText', text: `-${KEY}-${ECHO}` } });
    const echoed = await addJob(seed++);
    await waitFor(`job ${echoed} to end`, () => terminal(echoed));
    succeeded = core.engine.getJob(echoed)!;
    // 401 with the key in its detail: the job waits, the queue says why.
    fake.script(AUTH_FAULT);
    const waiting = await addJob(seed++);
    await waitFor('the key to be refused', () => events.some((e) => e.event === 'queue:changed' && JSON.stringify(e.payload).includes('key_rejected')));
    jobs.push(core.engine.getJob(waiting)!);
    // 403 on whatever the key test calls.
    fake.script(FORBIDDEN_FAULT);
    await call('key:test');
    for (const channel of ['queue:state', 'jobs:list', 'key:status', 'library:list'] as ChannelName[]) await call(channel);
    await call('jobs:retry', { id: jobs[0]!.id });
    await core.stop();
  }, 90_000);

  it('really ran the faults: FAL saw the key, and its echoes reached the jobs (redacted)', () => {
    expect(fake.requests.filter((r) => r.authorization === `Key ${KEY}`).length).toBeGreaterThan(ECHO_FAULTS.length);
    expect(jobs.slice(0, ECHO_FAULTS.length).every((job) => job.state === 'failed' || job.state === 'needs_attention')).toBe(true);
    expect(jobs.some((job) => job.errorMessage?.includes('[redacted]'))).toBe(true);
    expect(succeeded?.state).toBe('succeeded');
  });

  it('puts the secret in no event and no response', () => {
    expect(events.some((e) => e.event === 'job:changed')).toBe(true);
    const problems = [
      ...responses.flatMap((r, i) => findings(`response ${i} (${r.channel})`, JSON.stringify(r.result))),
      ...events.flatMap((e, i) => findings(`event ${i} (${e.event})`, JSON.stringify(e.payload))),
    ];
    expect(problems).toEqual([]);
  });

  it('puts the secret in no log line the core wrote, nor the log file', () => {
    expect(rawLogLines.length).toBeGreaterThan(0);
    expect(findings('core log lines', rawLogLines.join('\n'))).toEqual([]);
    expect(findings('main.log', readFileSync(mainLogFile, 'utf8'))).toEqual([]);
  });

  it('puts the secret in no file of the data folder and no row of any table', () => {
    const { problems, rows } = sweepFolder(dataDir);
    expect(rows).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

describe('planted-key sweep: the browser transport', () => {
  const frames: string[] = [];
  let dataDir: string;

  beforeAll(async () => {
    dataDir = join(work, 'web-data');
    let core: AppCore | null = null;
    const bridge: Bridge = await startBridge({
      dispatch: (channel, input) => core!.dispatch(channel, input),
      resolveFile: () => null,
    });
    const keys = createMemoryKeyVault({ FAL_KEY: KEY });
    core = createAppCore({
      dataDir,
      keys,
      logger: createLogger(join(dataDir, 'logs'), { secrets: () => [keys.get()], echoErrors: false }),
      settings: createFileSettingsStore(join(dataDir, 'settings.json')),
      route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
      platform: createHeadlessPlatform({ exportDir: join(dataDir, 'exports') }),
      appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: bridge.fileBaseUrl, platform: process.platform, transport: 'web' },
      engineOverrides: { timing: FAST_TIMING, backoff: { baseMs: 20, capMs: 200 }, maxAttempts: 1 },
    });
    await core.start((event, payload) => bridge.emit(event, payload));
    const ws = new WebSocket(`${bridge.url.replace('http', 'ws')}/bridge?token=${bridge.token}`, { headers: { origin: bridge.origin } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (data: Buffer) => frames.push(data.toString()));
    const until = async (what: string, done: () => boolean) => {
      const deadline = Date.now() + 15_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    let id = 0;
    const send = (channel: ChannelName, input?: unknown) => ws.send(encodeWire({ type: 'call', id: ++id, channel, input }));
    try {
      fake.script(ECHO_FAULTS[0]!.rule, ECHO_FAULTS[3]!.rule);
      for (const seed of [41, 42]) send('jobs:add', { items: [{ kind: 'bytes', name: `web-${seed}.png`, bytes: new Uint8Array(await makeTestPng(64, 64, { seed })) }] });
      await until('two failed jobs', () => frames.filter((f) => f.includes('"failed"')).length >= 2);
      fake.script(AUTH_FAULT);
      send('jobs:add', { items: [{ kind: 'bytes', name: 'web-43.png', bytes: new Uint8Array(await makeTestPng(64, 64, { seed: 43 })) }] });
      await until('the key to be refused', () => frames.some((f) => f.includes('key_rejected')));
      const before = frames.length;
      for (const channel of ['queue:state', 'jobs:list'] as ChannelName[]) send(channel);
      await until('the answers', () => frames.length >= before + 2);
    } finally {
      ws.close();
      await core.stop();
      await bridge.close();
    }
  }, 60_000);

  it('sends the page no frame with the secret in it', () => {
    expect(frames.some((f) => f.includes('[redacted]'))).toBe(true);
    expect(frames.flatMap((f, i) => findings(`frame ${i}`, f))).toEqual([]);
    expect(sweepFolder(dataDir).problems).toEqual([]);
  });
});

const runCli = (args: string[]) => runCliProcess(args, { env: { FAL_KEY: KEY } });

// Each run starts Node and tsx afresh: seconds each on a busy machine.
describe('planted-key sweep: the CLI', { timeout: 120_000 }, () => {
  const photos: string[] = [];
  beforeAll(async () => {
    for (const seed of [1, 2]) {
      const photo = join(work, `photo-${seed}.png`);
      writeFileSync(photo, await makeTestPng(64, 64, { seed }));
      photos.push(photo);
    }
  });

  for (const mode of ['plain', 'json'] as const) {
    it(`prints no secret and stores none (${mode}) when FAL echoes the key`, async () => {
      const dataDir = join(work, `cli-${mode}`);
      fake.script(ECHO_FAULTS[0]!.rule, ECHO_FAULTS[2]!.rule);
      const failing = await runCli(['convert', photos[0]!, photos[1]!, '--out', work, '--data-dir', dataDir, '--fal-proxy', fake.url, ...(mode === 'json' ? ['--json'] : [])]);
      expect(failing.code).not.toBe(0);
      expect(failing.stdout + failing.stderr).toMatch(/redacted/);
      fake.script(AUTH_FAULT);
      // --force: photo 1's job may have ended uncertain (the 500 came after FAL queued it); without it the
      // photo joins that job (never paid twice) and nothing is sent for the key to be refused on.
      const refused = await runCli(['convert', photos[0]!, '--force', '--out', work, '--data-dir', dataDir, '--fal-proxy', fake.url, ...(mode === 'json' ? ['--json'] : [])]);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout + refused.stderr).toMatch(/refused the API key/);
      const problems = [
        ...findings('stdout', failing.stdout),
        ...findings('stderr', failing.stderr),
        ...findings('stdout (401)', refused.stdout),
        ...findings('stderr (401)', refused.stderr),
        ...sweepFolder(dataDir).problems,
      ];
      expect(problems).toEqual([]);
    });
  }
});
