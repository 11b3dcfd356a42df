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
  leaseMs: 5_000,
  heartbeatMs: 1_000,
  schedulerPollMs: 100,
  statusPollMs: 30,
  streamIdleMs: 2_000,
  followTimeoutMs: 20_000,
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

/** Waits (polling the database) until the job satisfies `predicate`. */
export async function waitForJob(engine: Engine, id: string, predicate: (job: Job) => boolean, timeoutMs = 15_000): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = engine.getJob(id);
    if (job && predicate(job)) return job;
    if (Date.now() > until) throw new Error(`job ${id} did not reach the expected state; now ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const inState = (...states: JobState[]) => (job: Job) => states.includes(job.state);

export async function waitForQueue(engine: Engine, predicate: (state: QueueState) => boolean, timeoutMs = 10_000): Promise<QueueState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = engine.queueState();
    if (predicate(state)) return state;
    if (Date.now() > until) throw new Error(`queue did not reach the expected state; now ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
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
