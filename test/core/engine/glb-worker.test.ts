// The engine checks large finished models in a worker thread (library/glb-validator.ts): the job
// ends as it would in-thread, a broken model fails with the same message, a crashing worker loses
// no model, and engine.close() leaves no thread behind.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { validateGlb } from '../../../src/core/library/glb';
import { startGlbWorker } from '../../../src/core/library/glb-validator';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

/** Starts real workers, remembering each and whether it has exited. */
function trackedWorkers(start: () => Worker = startGlbWorker) {
  const started: { worker: Worker; exited: boolean }[] = [];
  return {
    started,
    start: () => {
      const entry = { worker: start(), exited: false };
      entry.worker.once('exit', () => (entry.exited = true));
      started.push(entry);
      return entry.worker;
    },
  };
}

async function withHarness(opts: Parameters<typeof createHarness>[0], fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await createHarness(opts);
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

async function expectStoredModelChecked(h: Harness, jobId: string): Promise<void> {
  const job = h.engine.getJob(jobId)!;
  expect(job).toMatchObject({ state: 'succeeded', errorCode: null });
  const model = h.engine.library.get(job.modelId!)!;
  const stored = await validateGlb(new Uint8Array(readFileSync(h.engine.library.filePath(model.id)!)));
  expect(stored.ok && stored.stats).toEqual(model.stats);
}

describe('engine: large models are checked in a worker thread', () => {
  it('a large model from FAL is checked in the worker and stored; engine.close() ends the worker', async () => {
    const workers = trackedWorkers();
    await withHarness({ fake: { glb: { triangles: 30_000, textureSize: 512 } }, engine: { glbWorker: { start: workers.start } } }, async (h) => {
      const id = await addOne(h.engine);
      await h.engine.waitForIdle();
      await expectStoredModelChecked(h, id);
      expect(h.engine.library.get(h.engine.getJob(id)!.modelId!)!.stats.fileSize).toBeGreaterThan(512 * 1024);
      expect(workers.started).toHaveLength(1);
      expect(workers.started[0]!.exited).toBe(false);
      await h.engine.close();
      expect(workers.started[0]!.exited).toBe(true);
    });
  }, 60_000);

  it('small models start no worker', async () => {
    const workers = trackedWorkers();
    await withHarness({ engine: { glbWorker: { start: workers.start } } }, async (h) => {
      const id = await addOne(h.engine);
      await h.engine.waitForIdle();
      await expectStoredModelChecked(h, id);
      expect(workers.started).toHaveLength(0);
    });
  }, 60_000);

  it('warmForFal (the app): a FAL job starts the worker while FAL works; small models go to it while other jobs run', async () => {
    const checksSent: number[] = [];
    let answers = 0;
    const workers = trackedWorkers(() => {
      const worker = startGlbWorker();
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (message, transfer) => {
        checksSent.push((message as { bytes: Uint8Array }).bytes.byteLength);
        post(message, transfer);
      };
      worker.on('message', () => answers++);
      return worker;
    });
    // FAL holds the jobs until the worker has answered its warm-up check (a cold start can take seconds under load).
    await withHarness({ fake: { holdJobs: true, concurrency: 3 }, engine: { concurrency: 3, glbWorker: { start: workers.start, warmForFal: true } } }, async (h) => {
      const ids = [await addOne(h.engine), await addOne(h.engine), await addOne(h.engine)];
      const jobs = await Promise.all(ids.map((id) => waitForJob(h.engine, id, inState('running'))));
      await vi.waitFor(() => expect(answers).toBe(1), { timeout: 30_000, interval: 20 });
      // Two finish while the third still runs: their (small) models are checked in the worker.
      for (const job of jobs.slice(0, 2)) h.fake.completeNow(job.falRequestId!);
      for (const id of ids.slice(0, 2)) await waitForJob(h.engine, id, inState('succeeded'));
      // The third finishes alone: checked in place, which is quicker than the hand-off.
      h.fake.completeNow(jobs[2]!.falRequestId!);
      await h.engine.waitForIdle();
      for (const id of ids) await expectStoredModelChecked(h, id);
      expect(workers.started).toHaveLength(1);
      const size = (id: string) => h.engine.library.get(h.engine.getJob(id)!.modelId!)!.stats.fileSize;
      for (const id of ids) expect(size(id)).toBeLessThan(512 * 1024);
      expect(checksSent).toHaveLength(3); // the warm-up check, then the first two models
      expect(checksSent.slice(1).sort()).toEqual([size(ids[0]!), size(ids[1]!)].sort());
    });
  }, 60_000);

  it('warmForFal: adding a FAL job starts the worker at once, before the job is claimed (not on its thread while it uploads)', async () => {
    let answers = 0;
    const workers = trackedWorkers(() => {
      const worker = startGlbWorker();
      worker.on('message', () => answers++);
      return worker;
    });
    await withHarness({ start: false, engine: { glbWorker: { start: workers.start, warmForFal: true } } }, async (h) => {
      await addOne(h.engine);
      expect(workers.started).toHaveLength(1);
      await vi.waitFor(() => expect(answers).toBe(1), { timeout: 30_000, interval: 20 });
      expect(h.fake.submissions).toHaveLength(0); // nothing claimed or sent: the engine has not started
    });
  }, 60_000);

  it('warmForFal without a key: adding a job starts no worker (no model can come yet)', async () => {
    const workers = trackedWorkers();
    await withHarness({ start: false, engine: { glbWorker: { start: workers.start, warmForFal: true } } }, async (h) => {
      h.key.value = null;
      h.engine.keyChanged();
      await addOne(h.engine);
      expect(workers.started).toHaveLength(0);
    });
  }, 60_000);

  it('a broken model checked in the worker fails the job with the in-thread message', async () => {
    const workers = trackedWorkers();
    await withHarness({ engine: { glbWorker: { minBytes: 1, start: workers.start } } }, async (h) => {
      h.fake.script({ op: 'submit', outcome: { kind: 'truncatedGlb' } });
      const id = await addOne(h.engine);
      await h.engine.waitForIdle();
      expect(h.engine.getJob(id)).toMatchObject({
        state: 'failed',
        errorCode: 'invalid_result',
        modelId: null,
        errorMessage: expect.stringMatching(/^The generated file is not a usable GLB model: The GLB is truncated: header says \d+ bytes, got \d+\. Nothing was added to the library; Generate again makes a new one \(FAL charges again\)\.$/),
      });
      expect(workers.started).toHaveLength(1);
      expect(h.engine.library.list({ offset: 0, limit: 10 }).total).toBe(0);
    });
  }, 60_000);

  it('a worker that crashes loses no model: it is checked in-thread from the downloaded file, with a warning', async () => {
    const warnings: string[] = [];
    const crashing = () => new Worker('require("node:worker_threads").parentPort.on("message", () => process.exit(3))', { eval: true });
    const workers = trackedWorkers(crashing);
    const logger = { info: () => {}, error: () => {}, warn: (message: string) => warnings.push(message) };
    await withHarness({ engine: { logger, glbWorker: { minBytes: 1, start: workers.start } } }, async (h) => {
      const id = await addOne(h.engine);
      await h.engine.waitForIdle();
      await expectStoredModelChecked(h, id);
      expect(workers.started).toHaveLength(1);
      expect(warnings).toContain("The GLB check worker failed (it exited with code 3); checking the model on the engine's thread instead");
    });
  }, 60_000);
});
