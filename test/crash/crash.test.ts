// Crash test: the engine runs in a child process that is SIGKILLed at random moments, hundreds of
// times, against one data dir and one fake FAL server (which lives here, in the test process).
// Afterwards: every job ended in a terminal state, no input was submitted twice unless its job
// is needs_attention, every library file is a valid GLB, no temp files are left after a clean
// start, and SQLite's integrity check passes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/core/engine';
import { validateGlb } from '../../src/core/library/glb';
import { TERMINAL_STATES } from '../../src/shared/domain';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { makeTestPng } from '../fixtures/make-glb';
import { signalGroup } from '../support/process-group';
import { bundleChild, type ChildCommand } from '../support/bundle-child';
import { reconcileOnce } from '../support/reconcile-once';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const CHILD_SOURCE = join(HERE, 'crash-child.ts');
const MIN_KILLS = Number(process.env.CRASH_KILLS ?? 200);
const INITIAL_JOBS = 30;
const MAX_JOBS = 70;
const KEY = 'crash-test-key-0123456789';

/** The child, bundled once (test/support/bundle-child.ts): hundreds of lives start fast. */
let childBundle: ChildCommand | null = null;

async function childCommand(): Promise<string[]> {
  childBundle = await bundleChild(CHILD_SOURCE, ROOT);
  return childBundle.args;
}

interface Life {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<void>;
  output: () => string;
}

/** Every child ever spawned, so a failing run leaves no process behind. */
const children = new Set<ChildProcess>();

function spawnLife(args: string[], dataDir: string, proxyUrl: string, final = false): Life {
  const child = spawn(process.execPath, [...args, dataDir, proxyUrl, ...(final ? ['final'] : [])], {
    cwd: ROOT,
    detached: true, // its own process group, ended as a whole in afterAll
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (out.includes('ready\n')) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(() => reject(new Error(`child exited before ready:\n${out}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => out };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

let fake: FakeFal;
let dataDir: string;
let admin: Engine;
let imageSeed = 1000;

async function addImages(count: number): Promise<void> {
  const items = [];
  for (let i = 0; i < count; i++) {
    const seed = imageSeed++;
    items.push({ kind: 'bytes' as const, name: `crash-${seed}.png`, bytes: new Uint8Array(await makeTestPng(48, 48, { seed })) });
  }
  const result = await admin.addImages(items, { preset: 'draft' });
  expect(result.rejected).toEqual([]);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'i2m-crash-'));
  let submitted = 0;
  fake = await startFakeFal({ concurrency: 8, processingMs: () => Math.round(between(50, 200)) });
  // Some runs fail at FAL, so "failed" is exercised under crashes too.
  fake.script({ op: 'submit', when: () => ++submitted % 11 === 5, outcome: { kind: 'failedRun', detail: 'Model crashed' }, times: Infinity });
  // A slow submit widens the window in which a kill leaves a job "sent, id unknown".
  fake.script({ op: 'submit', delayMs: 30, times: Infinity });
  // The test's own handle on the data dir (never started: it only adds and cancels, as a CLI would).
  admin = createEngine({ dataDir, getFalKey: () => KEY, falProxyUrl: fake.url, timing: { cancelWaitMs: 0 } });
});

afterAll(async () => {
  for (const child of children) signalGroup(child, 'SIGKILL');
  await admin?.close();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  childBundle?.dispose();
});

describe('crash test', () => {
  it(
    `survives ${MIN_KILLS}+ SIGKILLs at random moments`,
    async () => {
      const args = await childCommand();
      await addImages(INITIAL_JOBS);
      const started = Date.now();
      let kills = 0;
      const timings = { ready: 0, add: 0, drain: 0 };
      let cancels = 0;
      // Two lives load ahead while the current one works (start-up is mostly module loading).
      const warm = [spawnLife(args, dataDir, fake.url), spawnLife(args, dataDir, fake.url)];
      while (kills < MIN_KILLS) {
        const life = warm.shift()!;
        life.child.stdin!.write('go\n');
        warm.push(spawnLife(args, dataDir, fake.url));
        const t0 = Date.now();
        if (Math.random() < 0.1) {
          await sleep(between(0, 20)); // sometimes mid start-up (recovery, temp clean-up)
        } else {
          await life.ready;
          timings.ready += Date.now() - t0;
          await sleep(between(20, 150));
        }
        life.child.kill('SIGKILL');
        await life.exited;
        kills++;
        if (kills % 50 === 0) console.log(`crash test: ${kills} kills after ${((Date.now() - started) / 1000).toFixed(0)} s`);
        const jobs = admin.listJobs();
        const t1 = Date.now();
        if (kills % 4 === 0 && jobs.length < MAX_JOBS) await addImages(1);
        timings.add += Date.now() - t1;
        if (kills % 25 === 10) {
          const open = jobs.filter((j) => !TERMINAL_STATES.includes(j.state));
          const victim = open[Math.floor(Math.random() * open.length)];
          if (victim) {
            await admin.cancel(victim.id);
            cancels++;
          }
        }
      }
      for (const life of warm) life.child.kill('SIGKILL');
      await Promise.all(warm.map((life) => life.exited));

      // A final, clean start drains the queue.
      const t2 = Date.now();
      const last = spawnLife(args, dataDir, fake.url, true);
      last.child.stdin!.write('go\n');
      const drained = await Promise.race([
        last.exited.then(() => last.output().includes('idle\n')),
        sleep(90_000).then(() => false),
      ]);
      timings.drain = Date.now() - t2;
      if (!drained) last.child.kill('SIGKILL');
      expect(drained, last.output()).toBe(true);

      // 0. FAL's records settle the uncertain submits (src/core/reconcile): what the fake received is
      //    adopted and finished by one more clean start; the rest is marked safe to send again.
      const uncertainBefore = admin.listJobs().filter((j) => j.state === 'needs_attention');
      const settle = await reconcileOnce(dataDir, KEY, fake.url);
      if (settle.adopted.length > 0) {
        const again = spawnLife(args, dataDir, fake.url, true);
        again.child.stdin!.write('go\n');
        const done = await Promise.race([again.exited.then(() => again.output().includes('idle\n')), sleep(90_000).then(() => false)]);
        if (!done) again.child.kill('SIGKILL');
        expect(done, again.output()).toBe(true);
      }
      const uncertainAfter = admin.listJobs().filter((j) => j.state === 'needs_attention');
      const settleable = uncertainAfter.filter((j) => fake.submissionsFor(j.inputSha256) > 0 || j.errorCode !== 'submit_not_received');
      console.log(
        `crash test reconciliation: ${uncertainBefore.length} needs_attention before, ${settle.adopted.length} adopted, ` +
          `${settle.absent.length} marked never received, ${uncertainAfter.length} needs_attention after, ${settleable.length} that FAL's records could settle`,
      );
      expect(settleable.map((j) => `${j.id} ${j.errorCode}`)).toEqual([]);

      const jobs = admin.listJobs();
      const byState = jobs.reduce<Record<string, number>>((acc, j) => ({ ...acc, [j.state]: (acc[j.state] ?? 0) + 1 }), {});
      console.log(
        `crash test: ${kills} kills, ${jobs.length} jobs, ${cancels} cancels, ${fake.submissions.length} submissions, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s (waiting for start-up ${timings.ready} ms, adding ${timings.add} ms, ` +
          `final drain ${timings.drain} ms); ${JSON.stringify(byState)}`,
      );
      expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
      expect(jobs.length).toBeGreaterThanOrEqual(INITIAL_JOBS);

      // 1. Every job ended succeeded, failed, canceled or needs_attention.
      for (const job of jobs) expect(['succeeded', 'failed', 'canceled', 'needs_attention'], job.id).toContain(job.state);
      expect(byState.succeeded ?? 0).toBeGreaterThan(0);

      // 2. No input was submitted twice unless its job is needs_attention.
      for (const job of jobs) {
        const submissions = fake.submissionsFor(job.inputSha256);
        if (job.state !== 'needs_attention') expect(submissions, `${job.id} (${job.state})`).toBeLessThanOrEqual(1);
        if (job.state === 'succeeded') expect(submissions).toBe(1);
      }

      // 3. Only valid GLBs in the library; every model points at one.
      const models = admin.library.list({ offset: 0, limit: 500 });
      expect(models.total).toBe(byState.succeeded ?? 0);
      for (const model of models.items) expect(existsSync(admin.library.filePath(model.id)!)).toBe(true);
      const glbs = filesUnder(join(dataDir, 'library'));
      expect(glbs.length).toBeGreaterThan(0);
      for (const file of glbs) {
        expect(file.endsWith('.glb'), file).toBe(true);
        const result = await validateGlb(new Uint8Array(readFileSync(file)));
        expect(result.ok, `${file}: ${result.ok ? '' : result.reason}`).toBe(true);
      }

      // 4. No leftover temp files after the final clean start.
      const leftovers = filesUnder(dataDir).filter((f) => /[/\\]\.tmp-/.test(f));
      expect(leftovers).toEqual([]);

      // 5. The database is intact.
      const db = new Database(join(dataDir, 'image2model.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    },
    // The run takes about 2 minutes on an idle 2-core machine (each life is a fresh Node process);
    // the bound is generous for busy CI machines.
    900_000,
  );
});
