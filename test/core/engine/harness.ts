// Shared set-up for engine tests: a temp data dir, the fake FAL server, an engine pointed at it
// through the real @fal-ai/client (proxy mode), short timings, and helpers to wait for states.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineDeps } from '../../../src/core/engine';
import type { Job, JobState, QueueState } from '../../../src/shared/domain';
import { startFakeFal, type FakeFal, type FakeFalOptions } from '../../fake-fal/server';
import { makeTestPng } from '../../fixtures/make-glb';

export const TEST_KEY = 'test-key-1234567890';

export const FAST_TIMING: EngineDeps['timing'] = {
  // Lease and follow limits far above any test's own waits: a test process paused or starved of CPU
  // for a while (a busy CI machine, SIGSTOP) keeps its jobs and follows them on (heartbeats renew the
  // lease every second; a lost lease is made by a test on purpose, never by a slow machine).
  leaseMs: 60_000,
  heartbeatMs: 1_000,
  schedulerPollMs: 100,
  statusPollMs: 30,
  streamIdleMs: 2_000,
  followTimeoutMs: 120_000,
  requestTimeoutMs: 5_000,
  downloadTimeoutMs: 5_000,
  probeIntervalMs: 100,
  throttleMs: 20,
  progressTickMs: 100,
  cancelWaitMs: 5_000,
  tempFileMinAgeMs: 0,
  changePollMs: 100,
  downloadRetryMs: 1_500,
  // A request FAL forgot fails at once here (the grace for one not listed yet: attack status-404-just-submitted).
  newRequestGraceMs: 0,
  warmUpDelayMs: 0,
};

export interface Harness {
  dataDir: string;
  fake: FakeFal;
  engine: Engine;
  key: { value: string | null };
  jobs: Map<string, Job[]>;
  queueStates: QueueState[];
  /** A new engine on the same data dir (after closing the old one). */
  reopen(overrides?: Partial<EngineDeps>): Promise<Engine>;
  close(): Promise<void>;
}

export async function createHarness(
  opts: { fake?: FakeFalOptions; engine?: Partial<EngineDeps>; start?: boolean; fakeInstance?: FakeFal } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'i2m-engine-'));
  const fake = opts.fakeInstance ?? (await startFakeFal({ processingMs: 60, ...opts.fake }));
  const key = { value: TEST_KEY as string | null };
  const jobs = new Map<string, Job[]>();
  const queueStates: QueueState[] = [];
  const make = (overrides: Partial<EngineDeps> = {}) => {
    const engine = createEngine({
      dataDir,
      getFalKey: () => key.value,
      falProxyUrl: fake.url,
      backoff: { baseMs: 20, capMs: 200 },
      timing: FAST_TIMING,
      ...opts.engine,
      ...overrides,
      ...(overrides.timing || opts.engine?.timing ? { timing: { ...FAST_TIMING, ...opts.engine?.timing, ...overrides.timing } } : {}),
    });
    engine.on('job', (job) => {
      const list = jobs.get(job.id) ?? [];
      list.push(job);
      jobs.set(job.id, list);
    });
    engine.on('queue', (state) => queueStates.push(state));
    return engine;
  };
  const harness: Harness = {
    dataDir,
    fake,
    engine: make(),
    key,
    jobs,
    queueStates,
    async reopen(overrides) {
      await harness.engine.close();
      harness.engine = make(overrides);
      await harness.engine.start();
      return harness.engine;
    },
    async close() {
      await harness.engine.close();
      if (!opts.fakeInstance) await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (opts.start !== false) await harness.engine.start();
  return harness;
}

let pngSeed = 1;
/** A distinct small PNG per call (distinct content hash). */
export async function pngItem(name = `image-${pngSeed}.png`): Promise<{ kind: 'bytes'; name: string; bytes: Uint8Array }> {
  const bytes = new Uint8Array(await makeTestPng(64, 64, { seed: pngSeed++ }));
  return { kind: 'bytes', name, bytes };
}

/** Adds one image and returns its job id. */
export async function addOne(engine: Engine, opts: Parameters<Engine['addImages']>[1] = {}): Promise<string> {
  const result = await engine.addImages([await pngItem()], opts);
  if (result.added.length !== 1) throw new Error(`not added: ${JSON.stringify(result.rejected)}`);
  return result.added[0]!.id;
}

/** How long the waits below give a condition by default: time this process ran, not wall time. */
export const WAIT_LIMIT_MS = 25_000;
/** Longest stretch between two checks that counts in full (a longer one: the process was paused or starved). */
const MOST_PER_CHECK_MS = 200;

/**
 * Checks `read` every 10 ms until `done` holds; returns the last value read. Gives up after `limitMs`
 * of time this process could run: a gap between two checks counts MOST_PER_CHECK_MS at most, so a
 * pause (SIGSTOP, a laptop asleep) or a machine too busy to run the check on time does not use up
 * the limit - the condition, not the clock, decides. Returns at the first check that holds: no
 * slower in the normal case.
 */
export async function waitUntil<T>(read: () => T, done: (value: T) => boolean, limitMs: number, what: (last: T) => string): Promise<T> {
  let ran = 0;
  let before = performance.now();
  for (;;) {
    const value = read();
    if (done(value)) return value;
    const now = performance.now();
    ran += Math.min(now - before, MOST_PER_CHECK_MS);
    before = now;
    if (ran > limitMs) throw new Error(what(value));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits (polling the database) until the job satisfies `predicate`. */
export async function waitForJob(engine: Engine, id: string, predicate: (job: Job) => boolean, timeoutMs = WAIT_LIMIT_MS): Promise<Job> {
  const job = await waitUntil(
    () => engine.getJob(id),
    (row) => row !== null && predicate(row),
    timeoutMs,
    (row) => `job ${id} did not reach the expected state; now ${JSON.stringify(row)}`,
  );
  return job!;
}

export const inState = (...states: JobState[]) => (job: Job) => states.includes(job.state);

export async function waitForQueue(engine: Engine, predicate: (state: QueueState) => boolean, timeoutMs = WAIT_LIMIT_MS): Promise<QueueState> {
  return waitUntil(() => engine.queueState(), predicate, timeoutMs, (state) => `queue did not reach the expected state; now ${JSON.stringify(state)}`);
}

export const SILENT = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Adds a job whose first `stalls` model (.glb) downloads hang, cancels it once its model is downloading
 * (FAL has finished it) and waits for its end. Returns the job as it was downloading and as it ended.
 */
export async function cancelDuringModelDownload(h: Harness, stalls = 1): Promise<{ downloading: Job; ended: Job }> {
  let modelRequests = 0;
  h.fake.script({ op: 'file', times: stalls, when: (ctx) => ctx.targetUrl.includes('.glb') && ++modelRequests > 0, fault: { kind: 'hang' } });
  const id = await addOne(h.engine);
  const downloading = await waitForJob(h.engine, id, () => modelRequests >= 1);
  void h.engine.cancel(id);
  const ended = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000);
  return { downloading, ended };
}
