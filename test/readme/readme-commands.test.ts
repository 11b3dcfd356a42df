// Every command in the README's shell blocks, typed verbatim into `sh` in a fresh folder that holds
// this checkout (as after `git clone` + `npm install`) and the generated inputs the commands name.
// FAL is our fake: `FAL_KEY=... npx image2model ...` goes through IMAGE2MODEL_FAL_PROXY (documented),
// the `npm run fake-fal` block uses the URL that command prints, `<model-id>` is taken from `list`.
// A README command without a check here fails, so new commands get checked too.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestJpeg, makeTestPng } from '../fixtures/make-glb';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { signalGroup, spawnGroup, stopGroup } from '../support/process-group';
import { readmeModelEndpoints, readmeShellCommands } from './readme-commands';

const REPO = process.cwd();
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const COMMANDS = readmeShellCommands(README);
/** The key a user has exported for commands that name a FAL model but set no FAL_KEY themselves. */
const EXPORTED_KEY = 'readme-exported-key-1234';
const COMMAND_TIMEOUT_MS = 240_000;
const ELECTRON = 'needs the Electron binary, which cannot be downloaded here (the Electron smoke test covers it where it exists)';

interface Context {
  root: string;
  folder: string;
  env: NodeJS.ProcessEnv;
  fake: FakeFal;
  /** The URL `npm run fake-fal` printed. */
  fakeFalCliUrl?: string;
  modelsMade: number;
  modelIds: string[];
  background: ChildProcess[];
}
const ctx = {} as Context;

interface Check {
  match: RegExp;
  skip?: string;
  run?: (command: string) => Promise<void>;
}

const CHECKS: Check[] = [
  { match: /^npm install$/, skip: 'installs the dependencies this test already runs with (the fresh-clone run of `npm test` starts with it)' },
  { match: /^(FAL_KEY=\S+ )?npm (start|run dev)$/, skip: ELECTRON },
  { match: /^npm run dist$/, skip: `${ELECTRON}; electron-builder also downloads Electron's release zip` },
  { match: /^npm test$/, skip: 'this test runs inside `npm test`' },
  { match: /^npm run fake-fal$/, run: startFakeFalCommand },
  { match: /^(FAL_KEY=\S+ )?npx image2model convert /, run: checkConvert },
  { match: /^npx image2model resume$/, run: checkResume },
  { match: /^npx image2model list$/, run: checkList },
  { match: /^npx image2model export <model-id> \S+$/, run: checkExport },
  { match: /^npx image2model models$/, run: checkModels },
  { match: /^npx image2model export <id>( <id2>)? --preset \S+/, run: checkExportPreset },
  { match: /^npx image2model stats( --days \d+| --json| --prometheus)?$/, run: checkStats },
];

interface ShellResult {
  code: number | null;
  stdout: string;
  output: string;
}

/** Runs one command line in the folder, in its own process group that is gone afterwards. */
function sh(command: string, env: NodeJS.ProcessEnv = ctx.env): Promise<ShellResult> {
  return new Promise((resolveRun) => {
    const child = spawnGroup('sh', ['-c', command], { cwd: ctx.folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => void stopGroup(child, { signal: 'SIGKILL' }), COMMAND_TIMEOUT_MS - 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      signalGroup(child, 'SIGKILL');
      resolveRun({ code, stdout, output: `$ ${command}\n${output}` });
    });
  });
}

/** How many images the convert command's arguments name (files, folders, `*` patterns). */
function countInputs(command: string): number {
  const args = command.replace(/^FAL_KEY=\S+ /, '').split(/\s+/).slice(3);
  let count = 0;
  for (const arg of args) {
    if (arg.startsWith('--')) break;
    if (arg.includes('*')) {
      const pattern = new RegExp(`^${arg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      count += readdirSync(ctx.folder).filter((name) => pattern.test(name)).length;
    } else {
      const path = join(ctx.folder, arg);
      count += statSync(path).isDirectory() ? readdirSync(path).length : 1;
    }
  }
  return count;
}

async function checkConvert(command: string): Promise<void> {
  const env = { ...ctx.env };
  // --views defaults to Tripo Multiview (a FAL model), like --model naming one.
  const namesFalModel = /--model (?!offline\/)|--views /.test(command);
  const set = /--(views|together) /.test(command);
  if (set) await writeSetInputs(command);
  if (namesFalModel && !command.startsWith('FAL_KEY=')) env.FAL_KEY = EXPORTED_KEY; // "The key comes from FAL_KEY"
  let line = command;
  const proxy = /--fal-proxy (\S+)/.exec(command);
  if (proxy) {
    expect(ctx.fakeFalCliUrl, 'the README starts `npm run fake-fal` before using its URL').toBeDefined();
    line = command.replace(proxy[0], `--fal-proxy ${ctx.fakeFalCliUrl}`);
  } else if (env.FAL_KEY || command.startsWith('FAL_KEY=')) {
    env.IMAGE2MODEL_FAL_PROXY = ctx.fake.url;
  }
  const expected = set ? 1 : countInputs(command); // a set of images makes one model
  const result = await sh(line, env);
  expect(result.code, result.output).toBe(0);
  const outputs = [...result.stdout.matchAll(/^✔ .+ -> (.+)$/gm)].map((m) => m[1]!.trim());
  expect(outputs, result.output).toHaveLength(expected);
  const outDir = resolve(ctx.folder, /--out (\S+)/.exec(command)?.[1] ?? '.');
  for (const file of outputs) {
    expect(dirname(file)).toBe(outDir);
    expect(readFileSync(file).subarray(0, 4).toString('latin1')).toBe('glTF');
  }
  ctx.modelsMade += outputs.length;
}

async function checkResume(command: string): Promise<void> {
  const result = await sh(command);
  expect(result.code, result.output).toBe(0);
}

async function checkList(command: string): Promise<void> {
  const result = await sh(command);
  expect(result.code, result.output).toBe(0);
  ctx.modelIds = [...result.stdout.matchAll(/^([0-9a-f-]{36})\s/gm)].map((m) => m[1]!);
  expect(ctx.modelIds, result.output).toHaveLength(ctx.modelsMade);
}

async function checkExport(command: string): Promise<void> {
  expect(ctx.modelIds.length, 'the README lists the library before exporting from it').toBeGreaterThan(0);
  const result = await sh(command.replace('<model-id>', ctx.modelIds[0]!));
  expect(result.code, result.output).toBe(0);
  const target = join(ctx.folder, command.split(/\s+/).at(-1)!);
  if (target.endsWith('.obj')) {
    expect(readFileSync(target, 'utf8')).toMatch(/^v /m);
    expect(existsSync(target.replace(/\.obj$/, '.mtl'))).toBe(true);
  } else if (target.endsWith('.glb')) {
    expect(readFileSync(target).subarray(0, 4).toString('latin1')).toBe('glTF');
  } else {
    expect(statSync(target).size).toBeGreaterThan(84);
  }
}

/** The images a multi-image command names (created only now, so `convert *.jpg` above did not see them). */
async function writeSetInputs(command: string): Promise<void> {
  const names = [...command.matchAll(/([\w-]+\.jpg)/g)].map((m) => m[1]!);
  let seed = 30;
  for (const name of names) {
    const path = join(ctx.folder, name);
    if (!existsSync(path)) writeFileSync(path, await makeTestJpeg(600, 600, { seed: seed++ }));
  }
}

async function checkExportPreset(command: string): Promise<void> {
  expect(ctx.modelIds.length, 'the README lists the library before exporting from it').toBeGreaterThan(1);
  const line = command.replace('<id2>', ctx.modelIds[1]!).replace('<id>', ctx.modelIds[0]!);
  const result = await sh(line);
  expect(result.code, result.output).toBe(0);
  const out = /--out (\S+)/.exec(command)?.[1];
  if (out && !command.includes('--plan')) {
    const files = readdirSync(join(ctx.folder, out));
    expect(files.length, result.output).toBeGreaterThan(0);
  }
}

async function checkStats(command: string): Promise<void> {
  const result = await sh(command);
  expect(result.code, result.output).toBe(0);
  if (command.endsWith('--json')) expect(() => JSON.parse(result.stdout) as unknown, result.output).not.toThrow();
  if (command.endsWith('--prometheus')) expect(result.stdout, result.output).toContain('image2model_fal_requests_total');
}

async function checkModels(command: string): Promise<void> {
  const result = await sh(command);
  expect(result.code, result.output).toBe(0);
  const endpoints = readmeModelEndpoints(README);
  expect(endpoints.length).toBeGreaterThan(0);
  for (const endpoint of endpoints) expect(result.stdout).toContain(endpoint);
}

/** A long-running command: started, its printed URL kept for the commands after it, stopped at the end. */
async function startFakeFalCommand(command: string): Promise<void> {
  const child = spawnGroup('sh', ['-c', command], { cwd: ctx.folder, env: ctx.env, stdio: ['ignore', 'pipe', 'inherit'] });
  ctx.background.push(child);
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} printed no URL within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${command} exited with code ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const found = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (found) {
        clearTimeout(timer);
        resolveUrl(found[1]!);
      }
    });
  });
  expect((await fetch(`${url}/_fake/state`)).status).toBe(200);
  ctx.fakeFalCliUrl = url;
}

beforeAll(async () => {
  ctx.root = mkdtempSync(join(tmpdir(), 'i2m-readme-'));
  ctx.folder = join(ctx.root, 'image2model');
  mkdirSync(ctx.folder);
  // The checkout, as a user has it after `npm install`; what the commands write lands beside it.
  for (const entry of readdirSync(REPO)) if (!['.git', 'test-results'].includes(entry)) symlinkSync(join(REPO, entry), join(ctx.folder, entry));
  // The inputs the commands name: photo.jpg, more *.jpg, and a shots/ folder.
  writeFileSync(join(ctx.folder, 'photo.jpg'), await makeTestJpeg(640, 480, { seed: 11 }));
  writeFileSync(join(ctx.folder, 'mug.jpg'), await makeTestJpeg(600, 600, { seed: 12 }));
  mkdirSync(join(ctx.folder, 'shots'));
  writeFileSync(join(ctx.folder, 'shots', 'front.png'), await makeTestPng(600, 600, { seed: 13 }));
  writeFileSync(join(ctx.folder, 'shots', 'side.jpg'), await makeTestJpeg(600, 600, { seed: 14 }));
  // Keys the README's commands use, plus the exported one: our fake accepts exactly these.
  const keys = [...README.matchAll(/FAL_KEY=(\S+)/g)].map((m) => m[1]!);
  ctx.fake = await startFakeFal({ processingMs: 20, acceptedKeys: [...keys, EXPORTED_KEY] });
  const inherited = Object.entries(process.env).filter(
    ([name]) => !name.startsWith('npm_') && !['FAL_KEY', 'IMAGE2MODEL_FAL_PROXY', 'IMAGE2MODEL_DATA_DIR', 'IMAGE2MODEL_KNOWN_FOLDERS'].includes(name),
  );
  ctx.env = {
    ...Object.fromEntries(inherited),
    // A fresh machine: the app's default data folder (under this home) does not exist yet, as for a
    // new user; the commands find it by the same rules as the app (core/paths.ts defaultUserDataDir).
    HOME: join(ctx.root, 'home'),
    XDG_CONFIG_HOME: join(ctx.root, 'home', '.config'),
    APPDATA: join(ctx.root, 'home', 'AppData', 'Roaming'),
    // npx finds this checkout's own bin; offline and a private cache make sure it never fetches anything.
    npm_config_cache: join(ctx.root, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
  };
  ctx.modelsMade = 0;
  ctx.modelIds = [];
  ctx.background = [];
}, 60_000);

afterAll(async () => {
  for (const child of ctx.background ?? []) await stopGroup(child);
  await ctx.fake?.close();
  if (ctx.root) rmSync(ctx.root, { recursive: true, force: true });
}, 30_000);

describe.sequential('README commands, verbatim, on a fresh checkout', () => {
  it('the README shows shell commands', () => {
    expect(COMMANDS.length).toBeGreaterThan(5);
  });

  for (const { command, section } of COMMANDS) {
    const check = CHECKS.find((c) => c.match.test(command));
    const name = `${section}: ${command}`;
    if (!check) {
      it(name, () => {
        throw new Error(`No check for this README command; add one to test/readme/readme-commands.test.ts: ${command}`);
      });
    } else if (check.skip) {
      it.skip(`${name} (skipped: ${check.skip})`, () => undefined);
    } else {
      it(name, () => check.run!(command), COMMAND_TIMEOUT_MS);
    }
  }
});
