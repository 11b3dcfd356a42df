// Chaos test: several processes share ONE data folder, as users run them - two engines (children
// SIGKILLed and restarted at random moments), CLI `convert` runs (some SIGKILLed, the rest must
// finish by themselves), `resume` runs next to them, and at the end two `resume` runs at once.
// Every child injects database busy errors (IMAGE2MODEL_TEST_DB_BUSY_RATE); the fake FAL server
// answers some submits 5xx or drops the answer after it queued the job, fails some runs, and
// answers some status calls, uploads and downloads with errors.
// Invariants at the end:
//   - no input was submitted to FAL more than once (this test never confirms a resubmit);
//   - every job is succeeded/failed/canceled, or needs_attention with a reason;
//   - every job FAL accepted has that request id stored, or is needs_attention - and none that
//     FAL's records could settle is left needs_attention once `resume` reconciled;
//   - every CLI process not killed exits by itself (a hang is killed and fails the test);
//   - a model is written to its run's --out folder once, however many runs followed the job, and
//     every succeeded job's model is there, whichever process finished it;
//   - PRAGMA integrity_check is ok; every succeeded job's GLB is in the library.
// The test also cancels a job now and then, as a user would from the app.
// IMAGE2MODEL_CHAOS_ROUNDS (default 4) sets the length: each round is one or two CLI runs;
// IMAGE2MODEL_CHAOS_BUSY_RATE (default 0.05) the injected busy rate.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { NOT_RECEIVED_CODE } from '../../src/core/reconcile/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/core/engine';
import { TEMP_PREFIX } from '../../src/core/library/files';
import type { Job } from '../../src/shared/domain';
import { startFakeFal, type FakeFal, type Operation, type RequestContext } from '../fake-fal/server';
import { makeTestPng } from '../fixtures/make-glb';
import { bundleChild, type ChildCommand } from '../support/bundle-child';
import { signalGroup, spawnGroup } from '../support/process-group';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const ROUNDS = Math.max(1, Number(process.env.IMAGE2MODEL_CHAOS_ROUNDS ?? 4));
const IMAGES_PER_RUN = 4;
/** Share of write transactions that fail busy in the children (retried up to 3 times each). */
const BUSY_RATE = process.env.IMAGE2MODEL_CHAOS_BUSY_RATE ?? '0.05';
const KEY = 'chaos-test-key-0123456789';
/** A CLI run that is not killed must exit within this (it is killed and the test fails otherwise). */
const CLI_EXIT_MS = 90_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** Every child ever spawned that has not exited: afterAll kills their groups. */
const alive = new Set<ChildProcess>();
const counts = { engineLives: 0, engineKills: 0, cliRuns: 0, cliKills: 0, cliExited: 0, cancels: 0 };
const hangs: string[] = [];

function spawnProc(name: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawnGroup(process.execPath, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  alive.add(child);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      alive.delete(child);
      done({ code, signal });
    }),
  );
  return { name, child, exited, output: () => out };
}

async function kill(proc: Proc): Promise<void> {
  signalGroup(proc.child, 'SIGKILL');
  await proc.exited;
}

/** Waits for a CLI run that nobody kills; a run still going after CLI_EXIT_MS is a hang. */
async function mustExit(proc: Proc): Promise<void> {
  const result = await Promise.race([proc.exited, sleep(CLI_EXIT_MS).then(() => null)]);
  if (result === null) {
    hangs.push(`${proc.name} did not exit within ${CLI_EXIT_MS} ms:\n${proc.output().slice(-2000)}`);
    await kill(proc);
    return;
  }
  counts.cliExited++;
  // 0: every input became a model; 1: something did not (failed, needs attention). Nothing else.
  if (result.code !== 0 && result.code !== 1) hangs.push(`${proc.name} ended with ${result.code ?? result.signal}:\n${proc.output().slice(-2000)}`);
}

let fake: FakeFal;
let work: string;
let dataDir: string;
let engineChild: ChildCommand;
let cliChild: ChildCommand;
let admin: Engine;
let seed = 5000;

const childEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  FAL_KEY: KEY,
  IMAGE2MODEL_FAL_PROXY: undefined,
  IMAGE2MODEL_DATA_DIR: undefined,
  IMAGE2MODEL_TEST_DB_BUSY_RATE: BUSY_RATE,
});

/** One engine slot: lives started one after the other, each SIGKILLed at a random moment. */
async function engineSlot(name: string, running: () => boolean): Promise<void> {
  while (running()) {
    const life = spawnProc(`${name}#${counts.engineLives++}`, [...engineChild.args, dataDir, fake.url], childEnv());
    life.child.stdin!.write('go\n');
    if (Math.random() < 0.15) {
      await sleep(between(0, 300)); // sometimes during start-up (recovery, temp clean-up)
    } else {
      await Promise.race([waitForLine(life, 'ready'), life.exited]);
      await sleep(between(150, 2500));
    }
    await kill(life);
    counts.engineKills++;
  }
}

function waitForLine(proc: Proc, line: string): Promise<void> {
  return new Promise((done) => {
    const check = () => {
      if (proc.output().includes(`${line}\n`)) {
        proc.child.stdout!.off('data', check);
        done();
      }
    };
    proc.child.stdout!.on('data', check);
    check();
  });
}

function cli(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  counts.cliRuns++;
  return spawnProc(name, [...cliChild.args, ...args, '--data-dir', dataDir, '--fal-proxy', fake.url, '--json'], { ...childEnv(), ...env });
}

/** Each convert run's --out folder and the model files it may hold (one per input). */
const outputFolders: { dir: string; allowed: Set<string>; killed: boolean }[] = [];

async function convertRun(round: number): Promise<Proc> {
  const dir = join(work, `round-${round}`);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const allowed = new Set<string>();
  for (let i = 0; i < IMAGES_PER_RUN; i++) {
    const file = join(dir, `photo${seed}.png`);
    allowed.add(`photo${seed}.glb`);
    writeFileSync(file, await makeTestPng(40, 40, { seed: seed++ }));
    files.push(file);
  }
  outputFolders.push({ dir: join(dir, 'models'), allowed, killed: false });
  return cli(`convert#${round}`, ['convert', ...files, '--out', join(dir, 'models'), '--preset', 'draft', '--concurrency', '2']);
}

/** Cancels a random unfinished job (the cancel reaches its worker in whichever process holds it). */
async function cancelOne(): Promise<void> {
  let victim: Job | undefined;
  for (let look = 0; look < 30 && !victim; look++) {
    await sleep(between(100, 300));
    const open = admin.listJobs().filter((j) => !['succeeded', 'failed', 'canceled', 'needs_attention'].includes(j.state));
    if (Math.random() < 0.3) victim = open[Math.floor(Math.random() * open.length)];
  }
  if (!victim) return;
  const id = victim.id;
  // It may have finished meanwhile: the cancel then says so, which is fine here.
  await admin.cancel(id).then(
    () => counts.cancels++,
    (error: unknown) => console.log(`chaos test: cancel of ${id} refused: ${String(error)}`),
  );
}

/** A sequence number per operation, fixed for one exchange however many rules look at it. */
function sequencer(): (ctx: RequestContext) => number {
  const seen = new WeakMap<RequestContext, number>();
  const next = new Map<Operation, number>();
  return (ctx) => {
    let n = seen.get(ctx);
    if (n === undefined) {
      n = (next.get(ctx.op) ?? 0) + 1;
      next.set(ctx.op, n);
      seen.set(ctx, n);
    }
    return n;
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-chaos-'));
  dataDir = join(work, 'data');
  fake = await startFakeFal({ concurrency: 8, processingMs: () => Math.round(between(50, 400)), glb: { triangles: 200, textureSize: 32 } });
  const nth = sequencer();
  fake.script(
    // Answers lost after FAL queued the job: a gateway 5xx, and a connection dropped.
    { op: 'submit', when: (ctx) => nth(ctx) % 9 === 3, fault: { kind: 'infra', status: 502, afterHandling: true }, times: Infinity },
    { op: 'submit', when: (ctx) => nth(ctx) % 9 === 6, fault: { kind: 'reset', afterHandling: true }, times: Infinity },
    // A 5xx before anything was queued: just as uncertain to the app.
    { op: 'submit', when: (ctx) => nth(ctx) % 13 === 8, fault: { kind: 'infra', status: 503 }, times: Infinity },
    { op: 'submit', when: (ctx) => nth(ctx) % 11 === 5, outcome: { kind: 'failedRun', detail: 'Model crashed' }, times: Infinity },
    // A slow submit widens the window in which a kill leaves a job "sent, id unknown".
    { op: 'submit', delayMs: 40, times: Infinity },
    { op: ['status', 'stream'], when: (ctx) => nth(ctx) % 17 === 4, fault: { kind: 'infra', status: 500 }, times: Infinity },
    { op: 'upload', when: (ctx) => nth(ctx) % 10 === 7, fault: { kind: 'infra', status: 500 }, times: Infinity },
    { op: 'file', when: (ctx) => nth(ctx) % 7 === 2, fault: { kind: 'expired' }, times: Infinity },
  );
  [engineChild, cliChild] = await Promise.all([bundleChild(join(HERE, '../crash/crash-child.ts'), ROOT), bundleChild(join(HERE, 'cli-child.ts'), ROOT)]);
  // The test's own handle on the folder: reads only, never started.
  admin = createEngine({ dataDir, getFalKey: () => KEY, falProxyUrl: fake.url, timing: { cancelWaitMs: 0 } });
});

afterAll(async () => {
  for (const child of alive) signalGroup(child, 'SIGKILL');
  await admin?.close();
  await fake?.close();
  engineChild?.dispose();
  cliChild?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('chaos: two engines and CLI runs on one data folder', () => {
  it(`keeps the money rule and finishes every job through ${ROUNDS} round(s) of kills and faults`, async () => {
    const started = Date.now();
    let enginesRunning = true;
    const cancels: Promise<void>[] = [];
    const slots = [engineSlot('engine-a', () => enginesRunning), engineSlot('engine-b', () => enginesRunning)];

    for (let round = 1; round <= ROUNDS; round++) {
      const convert = await convertRun(round);
      // Every other round a `resume` joins: it waits for jobs other processes are working on.
      const resume = round % 2 === 0 ? (await sleep(between(200, 1500)), cli(`resume#${round}`, ['resume'])) : null;
      if (Math.random() < 0.3) cancels.push(cancelOne());
      if (Math.random() < 0.4) {
        await Promise.race([convert.exited, sleep(between(500, 5000))]);
        await kill(convert);
        counts.cliKills++;
        outputFolders.at(-1)!.killed = true;
      } else {
        await mustExit(convert);
      }
      if (resume) await mustExit(resume);
    }
    await Promise.all(cancels);
    enginesRunning = false;
    await Promise.all(slots);

    // The end: two `resume` runs at once reconcile and finish whatever is left. Their settle time is
    // zero (the fake lists a request at once), so FAL's records settle every uncertain submit.
    const settled = { IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS: '0' };
    const finals = [cli('resume-final-1', ['resume'], settled), cli('resume-final-2', ['resume'], settled)];
    await Promise.all(finals.map(mustExit));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    const jobs = admin.listJobs();
    const byState = jobs.reduce<Record<string, number>>((acc, j) => ({ ...acc, [j.state]: (acc[j.state] ?? 0) + 1 }), {});
    const submissionsOf = (job: Job) => fake.submissions.filter((s) => s.inputKey === job.inputSha256 || s.uploadSha256s.includes(job.inputSha256));
    const faults = fake.requests.filter((r) => r.fault).reduce<Record<string, number>>((acc, r) => ({ ...acc, [`${r.op}:${r.fault}`]: (acc[`${r.op}:${r.fault}`] ?? 0) + 1 }), {});
    console.log(
      `chaos test: ${seconds} s, ${counts.engineLives} engine lives (${counts.engineKills} SIGKILLed), ${counts.cliRuns} CLI runs ` +
        `(${counts.cliKills} SIGKILLed, ${counts.cliExited} exited by themselves), ${counts.cancels} cancels, ${jobs.length} jobs ${JSON.stringify(byState)}, ` +
        `${fake.submissions.length} submissions, faults ${JSON.stringify(faults)}`,
    );

    // Every CLI run not killed exited by itself, with 0 or 1.
    expect(hangs).toEqual([]);
    expect(jobs.length).toBeGreaterThanOrEqual(IMAGES_PER_RUN);

    for (const job of jobs) {
      const label = `${job.id} ${job.inputName} ${job.state} ${job.errorCode ?? ''}`;
      const submissions = submissionsOf(job);
      // Never paid twice: nothing here confirmed a resubmit.
      expect(submissions.length, label).toBeLessThanOrEqual(1);
      // Final, or needs attention with a reason.
      expect(['succeeded', 'failed', 'canceled', 'needs_attention'], label).toContain(job.state);
      if (job.state === 'needs_attention') {
        expect(job.errorMessage, label).toBeTruthy();
        // Nothing FAL's records can settle is left to the user: what FAL received was adopted and
        // followed; what is left is a send FAL never received, and says so (safe to send again).
        expect(submissions, label).toHaveLength(0);
        expect(job.errorCode, label).toBe(NOT_RECEIVED_CODE);
      }
      // What FAL accepted is tracked by its request id; `resume` adopted what FAL's records show.
      if (submissions.length === 1) expect(job.falRequestId, label).toBe(submissions[0]!.requestId);
      if (job.state === 'succeeded') {
        expect(job.modelId, label).toBeTruthy();
        const file = admin.library.filePath(job.modelId!);
        expect(file && existsSync(file), label).toBe(true);
      }
    }

    const db = new Database(join(dataDir, 'image2model.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

      // Runs following the same job (convert, resumes) wrote its model to --out once, under its own
      // name; and every model made is there, whichever process finished it (the final resumes write
      // what no run wrote). Only a run killed between claiming a file and writing it may leave one out.
      const claimed = db.prepare('SELECT output_file FROM jobs WHERE id = ?').pluck();
      for (const { dir, allowed, killed } of outputFolders) {
        const written = existsSync(dir) ? readdirSync(dir) : [];
        // A run killed while copying a model leaves its hidden temp file (the copy goes through one).
        for (const file of written) if (!(killed && file.startsWith(TEMP_PREFIX))) expect([...allowed], `${dir}: ${file}`).toContain(file);
        for (const job of jobs.filter((j) => j.state === 'succeeded' && allowed.has(j.inputName.replace(/\.png$/, '.glb')))) {
          if (killed && claimed.get(job.id) !== null) continue;
          expect(written, `${job.inputName} succeeded but is not in ${dir}`).toContain(job.inputName.replace(/\.png$/, '.glb'));
        }
      }
    } finally {
      db.close();
    }
  }, 600_000);
});
