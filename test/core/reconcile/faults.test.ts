// Reconciliation under submit faults, end to end: the fake FAL queues a submit and then drops the
// answer (connection reset) or answers 5xx; other submits never reach it. Each job becomes uncertain
// (needs attention), then reconciliation - the app's own background check, and `image2model
// reconcile --json` in a process of its own - adopts FAL's request for every submit FAL queued and
// marks "FAL has no record of this submission (checked at ...)" for the others, only after the
// settle time. Nothing is submitted twice: one submission per input at the fake, including the
// never-received ones sent again afterwards (safe: no confirmation needed) - and the request
// statistics count one request per input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../src/core/app-core';
import { openDatabase } from '../../../src/core/db/open';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../../../src/core/keys/route-store';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import type { Job } from '../../../src/shared/domain';
import type { FaultRule } from '../../fake-fal/types';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import { makeTestPng } from '../../fixtures/make-glb';
import { jsonLines, runCli, stopAllCliRuns } from '../../support/cli-process';
import { addOne, createHarness, FAST_TIMING, inState, TEST_KEY, waitForJob, type Harness } from '../engine/harness';

/** Short in tests; the app's default is 10 minutes (FAL's listing delay is unconfirmed). */
const SETTLE_MS = 2_000;
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';

interface Case {
  name: string;
  rule: FaultRule;
  /** Whether the fake FAL queued the submit (and so lists it in its request history). */
  received: boolean;
}

// Never-received last, so the CLI's first pass runs well inside their settle time.
const CASES: Case[] = [
  { name: 'answer-dropped', rule: { op: 'submit', fault: { kind: 'reset', afterHandling: true } }, received: true },
  { name: '500-after-queueing', rule: { op: 'submit', fault: { kind: 'infra', status: 500, afterHandling: true } }, received: true },
  { name: '503-after-queueing', rule: { op: 'submit', fault: { kind: 'infra', status: 503, afterHandling: true } }, received: true },
  { name: 'never-received-1', rule: { op: 'submit', fault: { kind: 'reset' } }, received: false },
  { name: 'never-received-2', rule: { op: 'submit', fault: { kind: 'reset' } }, received: false },
];

let fake: FakeFal | undefined;
let core: AppCore | undefined;
let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await core?.stop();
  await h?.close();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  core = h = fake = dir = undefined;
});
afterAll(stopAllCliRuns);

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The evidence reconciliation kept for each job (src/core/reconcile/checks.ts). */
function submitChecks(dataDir: string): Map<string, { sentAt: number; status: string; checks: number; absentCheckedAt: number | null }> {
  const db = openDatabase(dataDir);
  try {
    const rows = db.prepare('SELECT job_id, sent_at, status, checks, absent_checked_at FROM submit_checks').all() as {
      job_id: string;
      sent_at: number;
      status: string;
      checks: number;
      absent_checked_at: number | null;
    }[];
    return new Map(rows.map((r) => [r.job_id, { sentAt: r.sent_at, status: r.status, checks: r.checks, absentCheckedAt: r.absent_checked_at }]));
  } finally {
    db.close();
  }
}

const NO_RECORD = /^FAL has no record of this submission \(checked at .*?\d{1,2}:\d\d.*?, at least \d+ min after it was sent\)/;

/** Every received job adopted and finished with the request FAL queued; every other one proven absent after the settle time. */
function expectSettled(jobs: Map<string, Job>, ids: Map<string, Case>, fal: FakeFal, dataDir: string): void {
  const checks = submitChecks(dataDir);
  for (const [id, c] of ids) {
    const job = jobs.get(id)!;
    if (c.received) {
      expect(job, c.name).toMatchObject({ state: 'succeeded', falRequestId: fal.submissions.find((s) => s.uploadSha256s.includes(job.inputSha256))!.requestId });
      expect(checks.get(id)?.status, c.name).toBe('found');
    } else {
      expect(job, c.name).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received', falRequestId: null });
      expect(job.errorMessage, c.name).toMatch(NO_RECORD);
      const check = checks.get(id)!;
      expect(check.status, c.name).toBe('absent');
      // Declared absent only once the settle time had passed since the send, never before.
      expect(check.absentCheckedAt! - check.sentAt, c.name).toBeGreaterThanOrEqual(SETTLE_MS);
    }
    expect(fal.submissionsFor(job.inputSha256), c.name).toBe(c.received ? 1 : 0);
  }
}

const perInput = (fal: FakeFal, jobs: Iterable<Job>) => [...jobs].map((j) => fal.submissionsFor(j.inputSha256));

it("the app's background check adopts what FAL queued and marks the rest never received after the settle time", async () => {
  fake = await startFakeFal({ processingMs: 60 });
  dir = mkdtempSync(join(tmpdir(), 'i2m-reconcile-faults-'));
  const everUncertain = new Set<string>();
  core = createAppCore({
    dataDir: dir,
    keys: createMemoryKeyVault({ FAL_KEY: TEST_KEY }),
    billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
    route: createMemoryRouteStore({ proxyUrl: fake.url, sendKeyToProxy: true }),
    settings: createFileSettingsStore(join(dir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0', dataDir: dir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    // One job at a time, so each scripted fault meets the job it is meant for.
    engineOverrides: { timing: FAST_TIMING, concurrency: 1 },
    platformOverrides: { reconcile: { settleMs: SETTLE_MS, retryBaseMs: 200, retryMaxMs: 500 }, pollMs: 100 },
  });
  await core.start((event, payload) => {
    const job = payload as Job;
    if (event === 'job:changed' && job.state === 'needs_attention' && job.errorCode === 'submit_uncertain') everUncertain.add(job.id);
  });
  const list = async () => {
    const result = await core!.dispatch('jobs:list', undefined);
    if (!result.ok) throw new Error('jobs:list failed');
    return new Map((result.data as Job[]).map((j) => [j.id, j]));
  };

  const ids = new Map<string, Case>();
  let seed = 300;
  for (const c of CASES) {
    fake.script(c.rule);
    const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: seed++ }));
    const added = await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name: `${c.name}.png`, bytes }], endpoint: TRIPO, preset: 'draft' });
    if (!added.ok) throw new Error('jobs:add failed');
    const id = (added.data as { added: Job[] }).added[0]!.id;
    ids.set(id, c);
    await until(() => everUncertain.has(id), `${c.name} to become uncertain`);
  }
  const uncertainBefore = everUncertain.size;

  // The background check settles every one of them by itself: no reconcile:run, no user.
  await until(async () => {
    const jobs = await list();
    return [...ids].every(([id, c]) => (c.received ? jobs.get(id)?.state === 'succeeded' : jobs.get(id)?.errorCode === 'submit_not_received'));
  }, 'the background check to settle every uncertain job');
  const jobs = await list();
  expectSettled(jobs, ids, fake, dir);
  const uncertainAfter = [...jobs.values()].filter((j) => j.state === 'needs_attention' && j.errorCode !== 'submit_not_received').length;
  expect(uncertainBefore).toBe(CASES.length);
  expect(uncertainAfter).toBe(0);

  // Proven never received: sending again needs no confirmation, and is the only submission.
  for (const [id, c] of ids) {
    if (!c.received) expect(await core.dispatch('jobs:retry', { id })).toMatchObject({ ok: true });
  }
  await until(async () => [...(await list()).values()].every((j) => j.state === 'succeeded'), 'the resent jobs to finish');
  const final = await list();
  expect(perInput(fake, final.values())).toEqual(CASES.map(() => 1));
  expect(fake.submissions).toHaveLength(CASES.length);
  // Stats: one FAL request per input, each succeeded; no uncertain ones left (adopted ones are the
  // same request, never-received sends were no request at all).
  const stats = await core.dispatch('stats:get', {});
  expect(stats).toMatchObject({ ok: true, data: { models: [{ endpoint: TRIPO, requests: CASES.length, succeeded: CASES.length, uncertain: 0 }] } });
  console.log(
    `reconcile faults (app background check): ${uncertainBefore} uncertain before, ${CASES.filter((c) => c.received).length} adopted, ` +
      `${CASES.filter((c) => !c.received).length} marked never received after ${SETTLE_MS} ms, ${uncertainAfter} uncertain after; ` +
      `submissions per input: ${perInput(fake, final.values()).join(',')}`,
  );
}, 60_000);

it('`image2model reconcile --json` adopts what FAL queued, waits, then marks the rest never received after the settle time', async () => {
  // An engine with no reconciler makes the uncertain jobs; the CLI settles them from its own process.
  h = await createHarness({ engine: { concurrency: 1 } });
  const ids = new Map<string, Case>();
  for (const c of CASES) {
    h.fake.script(c.rule);
    const id = await addOne(h.engine);
    ids.set(id, c);
    await waitForJob(h.engine, id, inState('needs_attention'));
  }
  const uncertainBefore = h.engine.listJobs().filter((j) => j.state === 'needs_attention' && j.errorCode === 'submit_uncertain').length;
  expect(uncertainBefore).toBe(CASES.length);

  const reconcile = (settleMs: number) =>
    runCli(['reconcile', '--json', '--data-dir', h!.dataDir, '--fal-proxy', h!.fake.url], {
      env: { FAL_KEY: TEST_KEY, IMAGE2MODEL_TEST_RECONCILE_SETTLE_MS: String(settleMs) },
    });
  const outcomes = (stdout: string) => {
    const [report] = jsonLines(stdout).filter((line) => line.type === 'reconcile') as { jobs: { id: string; outcome: string; message: string }[] }[];
    return new Map(report!.jobs.map((j) => [j.id, j]));
  };

  // Inside the settle time (a long one here): adopted, or still waiting - never "no record" yet.
  const early = await reconcile(10 * 60_000);
  expect(early.code).toBe(1); // some are still waiting
  const first = outcomes(early.stdout);
  for (const [id, c] of ids) expect(first.get(id)?.outcome, c.name).toBe(c.received ? 'adopted' : 'waiting');
  expect(first.get([...ids].find(([, c]) => !c.received)![0])?.message).toMatch(/keeps asking until/);

  // Past the settle time: FAL has no record, with the evidence.
  const lastSend = Math.max(...[...submitChecks(h.dataDir).values()].map((c) => c.sentAt));
  await until(() => Date.now() >= lastSend + SETTLE_MS, 'the settle time to pass', 10_000);
  const late = await reconcile(SETTLE_MS);
  expect(late.code).toBe(0);
  const second = outcomes(late.stdout);
  for (const [id, c] of ids) {
    if (!c.received) expect(second.get(id), c.name).toMatchObject({ outcome: 'not_received', message: expect.stringMatching(NO_RECORD) });
  }

  // The engine follows the adopted requests to the end (no new submit).
  for (const [id, c] of ids) if (c.received) await waitForJob(h.engine, id, inState('succeeded'), 30_000);
  const jobs = new Map(h.engine.listJobs().map((j) => [j.id, j]));
  expectSettled(jobs, ids, h.fake, h.dataDir);
  const uncertainAfter = [...jobs.values()].filter((j) => j.state === 'needs_attention' && j.errorCode !== 'submit_not_received').length;
  expect(uncertainAfter).toBe(0);

  for (const [id, c] of ids) if (!c.received) await h.engine.retry(id, {});
  for (const id of ids.keys()) await waitForJob(h.engine, id, inState('succeeded'), 30_000);
  const final = h.engine.listJobs();
  expect(perInput(h.fake, final)).toEqual(CASES.map(() => 1));
  // The CLI's findings reach the engine's stats too (same database): one succeeded request per input.
  await h.engine.waitForIdle();
  expect(h.engine.stats.report().models).toEqual([expect.objectContaining({ requests: CASES.length, succeeded: CASES.length, uncertain: 0 })]);
  console.log(
    `reconcile faults (image2model reconcile --json): ${uncertainBefore} uncertain before, ${[...first.values()].filter((j) => j.outcome === 'adopted').length} adopted, ` +
      `${[...first.values()].filter((j) => j.outcome === 'waiting').length} waiting inside the settle time, ` +
      `${[...second.values()].filter((j) => j.outcome === 'not_received').length} marked never received after it, ${uncertainAfter} uncertain after; ` +
      `submissions per input: ${perInput(h.fake, final).join(',')}`,
  );
}, 90_000);
