// Kill tests of the desktop app's core (app-child.ts: createAppCore as the app builds it) against the
// fake FAL server: lives of the app are SIGKILLed at seeded random moments - during start-up, at a
// random time, or the moment FAL receives an upload, a submit, a status call or a model download from
// it (before, during and after the submit) - while the test adds work as a user would:
//   1. multi-image jobs (Tripo Multiview by views, Rodin, TRELLIS multi) added between lives;
//   2. photos arriving in the watched folder, while the app runs and while it is down;
//   3. the app started with no FAL key: jobs for a FAL generator wait, and the watched folder under
//      "Automatic" makes its photos offline (Relief); then the key is set in a life, and the later
//      photos go to FAL - the waiting jobs go once, nothing made offline is sent.
// At the end a clean life finishes the queue, FAL's records settle what a kill left uncertain, and
// test/support/money-rule.ts checks: no image submitted twice (by the fake's own record), every job
// ended or waits with a reason, models on disk, integrity_check ok; and each test its own promises.
// IMAGE2MODEL_KILL_SEED picks other kill moments (the seed is printed with each run's figures).
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/core/engine';
import { OFFLINE_MODEL_ID, DEFAULT_MODEL_ID } from '../../src/shared/default-generator';
import type { InputSetMember } from '../../src/shared/contract';
import { TERMINAL_STATES } from '../../src/shared/domain';
import { startFakeFal, type FakeFal, type Operation, type RequestContext } from '../fake-fal/server';
import { makeTestPng, prng } from '../fixtures/make-glb';
import { bundleChild, type ChildCommand } from '../support/bundle-child';
import { killAllLives, killLife, startLife, type Life } from '../support/child-life';
import { signalGroup } from '../support/process-group';
import { expectMoneyRule } from '../support/money-rule';
import { reconcileOnce } from '../support/reconcile-once';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const KEY = 'kill-app-test-key-0123456789';
const SEED = Number(process.env.IMAGE2MODEL_KILL_SEED ?? 20261204);
/** Generous: a loaded 2-core machine starts a life in a second or two. */
const READY_MS = 60_000;
const FINISH_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let appChild: ChildCommand;
beforeAll(async () => {
  appChild = await bundleChild(join(HERE, 'app-child.ts'), ROOT);
});
afterAll(() => appChild?.dispose());

/** One test's world: a data folder, a fake FAL, the test's own engine handle (adds and reads, never started). */
interface Scene {
  name: string;
  work: string;
  dataDir: string;
  fake: FakeFal;
  admin: Engine;
  random: () => number;
  between(min: number, max: number): number;
  /** The key the app holds when a life starts (null: none, as before the user sets one). */
  key: string | null;
  /** The current life is killed (`onArmed`) the moment FAL receives the `left`-th `op` from now; null: never. */
  armed: { op: Operation; left: number; onArmed: () => void } | null;
  counts: { lives: number; kills: number; byMoment: Record<string, number> };
}

let scene: Scene | null = null;
afterEach(async () => {
  killAllLives();
  const current = scene;
  scene = null;
  await current?.admin.close();
  await current?.fake.close();
  if (current) rmSync(current.work, { recursive: true, force: true });
});

async function openScene(name: string, seed: number): Promise<Scene> {
  const random = prng(seed);
  const between = (min: number, max: number) => min + random() * (max - min);
  const work = mkdtempSync(join(tmpdir(), `i2m-kill-${name}-`));
  const dataDir = join(work, 'data');
  // The fake's processing times come from their own stream, so the kill moments stay the same per seed.
  const processing = prng(seed + 1);
  const fake = await startFakeFal({ concurrency: 8, processingMs: () => Math.round(50 + processing() * 350), glb: { triangles: 200, textureSize: 32 } });
  const counted = new WeakSet<RequestContext>();
  let submits = 0;
  const admin = createEngine({ dataDir, getFalKey: () => KEY, falProxyUrl: fake.url, timing: { cancelWaitMs: 0 } });
  const s: Scene = { name, work, dataDir, fake, admin, random, between, key: KEY, armed: null, counts: { lives: 0, kills: 0, byMoment: {} } };
  fake.script(
    // Watches every exchange (never matches): the armed kill fires as FAL receives it.
    {
      op: ['upload', 'submit', 'status', 'stream', 'file'],
      when: (ctx) => {
        if (counted.has(ctx)) return false;
        counted.add(ctx);
        const op = ctx.op === 'stream' ? 'status' : ctx.op;
        const armed = s.armed;
        if (armed && armed.op === op && --armed.left === 0) {
          s.armed = null;
          armed.onArmed();
        }
        return false;
      },
      times: Infinity,
    },
    // Some runs fail at FAL (a failed run may be billed: never sent again by itself), some answers
    // are lost after FAL queued the job (the app cannot know it was received).
    { op: 'submit', when: () => ++submits % 5 === 2, outcome: { kind: 'failedRun', detail: 'Model crashed' }, times: Infinity },
    { op: 'submit', when: () => submits % 7 === 4, fault: { kind: 'infra', status: 502, afterHandling: true }, times: Infinity },
    // A slow submit widens the window in which a kill leaves a job "sent, id unknown".
    { op: 'submit', delayMs: 40, times: Infinity },
  );
  scene = s;
  return s;
}

function spawnApp(s: Scene): Life {
  const env = { ...process.env, FAL_KEY: undefined, FAL_ADMIN_KEY: undefined, IMAGE2MODEL_DATA_DIR: undefined, IMAGE2MODEL_FAL_PROXY: undefined };
  return startLife(`${s.name} life ${++s.counts.lives}`, [...appChild.args, s.dataDir, s.fake.url], { cwd: ROOT, env });
}

/** Starts a loaded life with the key the app holds now (a life loaded ahead may start after the key was set). */
function goLife(s: Scene, life: Life): void {
  life.send(s.key ? `go ${s.key}` : 'go');
}

type Moment = 'start-up' | 'any time' | Operation;

/**
 * One life, killed at a seeded moment: during start-up, at a random time, or as FAL receives its
 * 1st-3rd upload, submit, status call or model download (the random time is the fallback when no
 * such call comes, counted from when `during` - the test's commands to the life once it is ready - is done).
 */
async function runLife(s: Scene, life: Life, during: (life: Life) => Promise<void> = async () => undefined): Promise<void> {
  const roll = s.random();
  const moments: Moment[] = ['upload', 'submit', 'status', 'file'];
  const moment: Moment = roll < 0.1 ? 'start-up' : roll < 0.35 ? 'any time' : moments[Math.floor(s.random() * moments.length)]!;
  const nth = 1 + Math.floor(s.random() * 3);
  const wait = s.between(300, 2500);
  goLife(s, life);
  let fired = false;
  let killed: () => void = () => undefined;
  const killedAt = new Promise<void>((done) => (killed = done));
  if (moment === 'start-up') {
    await sleep(s.between(0, 400));
  } else {
    await life.waitForLine('ready', READY_MS);
    // The test's commands first (a life killed before it answered one would fail the test, not the app).
    await during(life);
    if (moment !== 'any time') {
      s.armed = {
        op: moment,
        left: nth,
        onArmed: () => {
          // At once, inside the fake's handler: the call FAL received is the life's last.
          fired = true;
          signalGroup(life.child, 'SIGKILL');
          killed();
        },
      };
    }
    await Promise.race([killedAt, sleep(wait)]);
  }
  s.armed = null;
  await killLife(life);
  s.counts.kills++;
  const what = fired ? `at ${moment} #${nth}` : moment === 'start-up' ? 'start-up' : 'any time';
  s.counts.byMoment[what] = (s.counts.byMoment[what] ?? 0) + 1;
}

/** `count` lives one after the other, the next one loading while the current one works. */
async function killLives(s: Scene, count: number, between: (i: number) => Promise<void>, during?: (life: Life, i: number) => Promise<void>): Promise<void> {
  let next = spawnApp(s);
  for (let i = 0; i < count; i++) {
    const life = next;
    next = spawnApp(s);
    await runLife(s, life, during ? (l) => during(l, i) : undefined);
    await between(i);
  }
  await killLife(next);
}

/**
 * The end: a clean life finishes the queue once `ready()` says all the work is in; FAL's records
 * settle the submits a kill left uncertain (what FAL received is adopted and finished by one more
 * clean life; the rest is marked never received).
 */
async function finish(s: Scene, ready: () => string | null = () => null): Promise<void> {
  const clean = async () => {
    const life = spawnApp(s);
    goLife(s, life);
    await life.waitForLine('ready', READY_MS);
    const until = Date.now() + FINISH_MS;
    for (let missing = ready(); missing !== null; missing = ready()) {
      if (Date.now() > until) throw new Error(`${s.name}: still ${missing} after ${FINISH_MS} ms of the clean life:\n${life.output().slice(-3000)}`);
      await sleep(200);
    }
    life.send('stop');
    await life.waitForLine('stopped', FINISH_MS);
    await life.exited;
  };
  // Until every job ended or waits for the user: a job FAL's records adopted, or one the app's own
  // background reconciliation put back in the queue as the clean life stopped, runs at the next start.
  for (let round = 1; ; round++) {
    await clean();
    await reconcileOnce(s.dataDir, KEY, s.fake.url);
    const open = s.admin.listJobs().filter((job) => !TERMINAL_STATES.includes(job.state));
    if (open.length === 0) return;
    if (round === 3) throw new Error(`${s.name}: jobs still open after ${round} clean lives: ${open.map((job) => `${job.id} ${job.state} ${job.message ?? ''}`).join('; ')}`);
  }
}

function report(s: Scene, started: number, extra: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`kill-app ${s.name} (seed ${SEED}): ${seconds} s, ${s.counts.lives} lives, ${s.counts.kills} SIGKILLed ${JSON.stringify(s.counts.byMoment)}, ${extra}`);
}

/** Polls `done` (generously: a loaded machine); the failure names what and the life's last words. */
async function waitFor(what: string, done: () => boolean, life: Life): Promise<void> {
  const until = Date.now() + FINISH_MS;
  while (!done()) {
    if (Date.now() > until) throw new Error(`${life.name}: not ${what} after ${FINISH_MS} ms:\n${life.output().slice(-3000)}`);
    await sleep(100);
  }
}

let photoSeed = 7000;
async function photo(size = 64): Promise<Uint8Array> {
  return new Uint8Array(await makeTestPng(size, size, { seed: photoSeed++ }));
}

/** Needs attention only for what FAL's records showed was never received (safe to send again, it says so). */
function expectSettled(s: Scene): void {
  for (const job of s.admin.listJobs().filter((j) => j.state === 'needs_attention')) {
    const label = `${s.name}: ${job.id} ${job.inputName} ${job.errorCode}: ${job.errorMessage}`;
    expect(job.falRequestId, label).toBeNull();
    expect(job.errorCode, label).toBe('submit_not_received');
  }
}

describe('kill tests of the app core', () => {
  it('multi-image jobs: each set submitted at most once through SIGKILLs before, during and after the submit', async () => {
    const s = await openScene('sets', SEED);
    const started = Date.now();
    const kinds: { endpoint: string; roles: (InputSetMember['role'] | undefined)[] }[] = [
      { endpoint: 'tripo3d/tripo/v2.5/multiview-to-3d', roles: ['front', 'left', 'back'] },
      { endpoint: 'fal-ai/hyper3d/rodin', roles: [undefined, undefined] },
      { endpoint: 'fal-ai/trellis/multi', roles: [undefined, undefined, undefined] },
    ];
    let sets = 0;
    const addSets = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const kind = kinds[sets % kinds.length]!;
        const members: InputSetMember[] = [];
        for (const [j, role] of kind.roles.entries()) members.push({ item: { kind: 'bytes', name: `set${sets}_${j}.png`, bytes: await photo() }, ...(role ? { role } : {}) });
        const result = await s.admin.addSet(members, { endpoint: kind.endpoint, preset: 'draft' });
        expect(result.rejected, `set ${sets}`).toEqual([]);
        expect(result.added, `set ${sets}`).toHaveLength(1);
        sets++;
      }
    };
    await addSets(6);
    await killLives(s, 16, async (i) => void (i % 3 === 1 && (await addSets(2))));
    await finish(s);

    const money = expectMoneyRule(s.name, s.dataDir, s.fake, s.admin);
    expectSettled(s);
    expect(money.jobs).toHaveLength(sets);
    expect(money.byState.succeeded ?? 0, 'some sets became models').toBeGreaterThan(0);
    report(s, started, `${sets} sets ${JSON.stringify(money.byState)}, ${money.submissions} submissions, ${s.fake.uploads().length} uploads`);
  }, 240_000);

  it('watched folder: every photo that arrives is sent at most once and none is lost, across SIGKILLs', async () => {
    const s = await openScene('watch', SEED + 100);
    const started = Date.now();
    const folder = join(s.work, 'watched');
    mkdirSync(folder);
    const names: string[] = [];
    // A photo arrives whole (written beside, then renamed in), as a camera app or a copy does.
    const arrive = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const name = `photo${photoSeed}.png`;
        const beside = join(s.work, `.${name}`);
        writeFileSync(beside, await photo());
        renameSync(beside, join(folder, name));
        names.push(name);
      }
    };
    // The first life turns the watch on (choosing the folder in Settings); it is not killed before.
    const first = spawnApp(s);
    goLife(s, first);
    await first.waitForLine('ready', READY_MS);
    first.send(`watch ${folder}`);
    await first.waitForLine('watching', READY_MS);
    await killLife(first);
    // Photos arrive while a life runs (a burst at a random moment) and while the app is down.
    await killLives(
      s,
      16,
      async () => {
        if (s.random() < 0.5) await arrive(1 + Math.floor(s.random() * 4));
      },
      async () => {
        await sleep(s.between(0, 800));
        await arrive(1 + Math.floor(s.random() * 8));
      },
    );
    const jobsOf = () => {
      const count = new Map<string, number>();
      for (const job of s.admin.listJobs()) count.set(job.inputName, (count.get(job.inputName) ?? 0) + 1);
      return count;
    };
    await finish(s, () => {
      const missing = names.filter((name) => !jobsOf().has(name));
      return missing.length === 0 ? null : `${missing.length} of ${names.length} photos without a job (${missing.slice(0, 5).join(', ')})`;
    });

    const money = expectMoneyRule(s.name, s.dataDir, s.fake, s.admin);
    expectSettled(s);
    // None lost, none made twice: one job per photo that arrived.
    const count = jobsOf();
    for (const name of names) expect(count.get(name), `${name}: jobs`).toBe(1);
    expect(money.jobs).toHaveLength(names.length);
    expect(readdirSync(folder).sort()).toEqual([...names].sort());
    report(s, started, `${names.length} photos ${JSON.stringify(money.byState)}, ${money.submissions} submissions`);
  }, 240_000);

  it('no key, then a key: jobs wait, Automatic makes photos offline, and once the key is set each goes to FAL once', async () => {
    const s = await openScene('key', SEED + 200);
    s.key = null;
    const started = Date.now();
    const folder = join(s.work, 'watched');
    mkdirSync(folder);
    const offlineNames: string[] = [];
    const falNames: string[] = [];
    const arrive = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const name = `photo${photoSeed}.png`;
        const beside = join(s.work, `.${name}`);
        writeFileSync(beside, await photo());
        renameSync(beside, join(folder, name));
        (s.key ? falNames : offlineNames).push(name);
      }
    };
    // Jobs for a FAL generator chosen by the user, added before any key: they wait for one.
    const waiting: string[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await s.admin.addImages([{ kind: 'bytes', name: `waiting${i}.png`, bytes: await photo() }], { endpoint: DEFAULT_MODEL_ID, preset: 'draft' });
      waiting.push(result.added[0]!.id);
    }
    const first = spawnApp(s);
    goLife(s, first);
    await first.waitForLine('ready', READY_MS);
    first.send(`watch ${folder}`);
    await first.waitForLine('watching', READY_MS);
    // One photo surely made offline before any kill (later ones may be taken only after the key).
    await arrive(1);
    await waitFor(`${offlineNames[0]} made offline`, () => s.admin.listJobs().some((job) => job.inputName === offlineNames[0] && job.state === 'succeeded'), first);
    await killLife(first);

    const KEY_LIFE = 3;
    let keySentAt = Number.POSITIVE_INFINITY;
    await killLives(
      s,
      12,
      async () => undefined,
      async (life, i) => {
        if (i < KEY_LIFE) {
          await arrive(1 + Math.floor(s.random() * 2));
          return;
        }
        // The key life, or the next one that reaches its commands: one killed during start-up runs none
        // (seed 6: the key was never set, and the jobs waiting for it kept the clean life from stopping).
        if (s.key === null) {
          // The user pastes the key in Settings at a random moment of this life; the next lives have it.
          await sleep(s.between(0, 500));
          keySentAt = Date.now();
          life.send(`key ${KEY}`);
          await life.waitForLine('key set', READY_MS);
          s.key = KEY;
        }
        await arrive(1 + Math.floor(s.random() * 3));
      },
    );
    expect(s.key, 'a life after the key life that was not killed during start-up set the key').toBe(KEY);
    const byName = () => new Map(s.admin.listJobs().map((job) => [job.inputName, job]));
    await finish(s, () => {
      const missing = [...offlineNames, ...falNames].filter((name) => !byName().has(name));
      return missing.length === 0 ? null : `${missing.length} photos without a job (${missing.slice(0, 5).join(', ')})`;
    });

    const money = expectMoneyRule(s.name, s.dataDir, s.fake, s.admin);
    expectSettled(s);
    // One job per photo: one taken offline before the key is not made (paid) again with it after a restart.
    const all = s.admin.listJobs();
    for (const name of [...offlineNames, ...falNames]) expect(all.filter((job) => job.inputName === name).map((job) => job.endpoint), name).toHaveLength(1);
    // Nothing reached FAL before the key was set.
    const early = s.fake.requests.filter((r) => (r.op === 'upload' || r.op === 'submit') && r.at < keySentAt);
    expect(early.map((r) => `${r.op} ${r.targetUrl}`), 'calls to FAL before the key').toEqual([]);
    // The jobs that waited went to FAL (each at most once: the money rule), none was lost.
    for (const id of waiting) {
      const job = s.admin.getJob(id)!;
      expect(job.endpoint, job.id).toBe(DEFAULT_MODEL_ID);
      expect(job.state === 'succeeded' || job.state === 'failed' || job.state === 'needs_attention', `${job.id} ${job.state}`).toBe(true);
    }
    // Automatic follows the key when the watch takes a photo: before it, offline (Relief) and never sent
    // to FAL; a photo that came before the key but was taken after it (a life killed first) goes to FAL.
    const jobs = byName();
    const offline = [...jobs.values()].filter((job) => job.endpoint === OFFLINE_MODEL_ID);
    expect(offline.length, 'photos made offline before the key').toBeGreaterThan(0);
    for (const job of offline) expect(s.fake.submissionsFor(job.inputSha256), job.inputName).toBe(0);
    for (const name of offlineNames) expect([OFFLINE_MODEL_ID, DEFAULT_MODEL_ID], name).toContain(jobs.get(name)!.endpoint);
    for (const name of falNames) expect(jobs.get(name)!.endpoint, name).toBe(DEFAULT_MODEL_ID);
    expect(money.jobs).toHaveLength(waiting.length + offlineNames.length + falNames.length);
    report(s, started, `${offlineNames.length} photos before the key (${offline.length} made offline), ${falNames.length} after, ${JSON.stringify(money.byState)}, ${money.submissions} submissions`);
  }, 240_000);
});
