// The engine's warm-up after start (EngineDeps.warmUp, then with a key the GLB check worker) against
// stop/start/close at awkward moments. A quit soon after launch must not wait for a worker the app is
// about to drop, nor start one; a stop that lands while start() is still under way must leave the
// engine stopped (no claims, no second warm-up).
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, SILENT, waitUntil, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
const workers: Worker[] = [];
afterEach(async () => {
  // A worker held silent is let go first: the old stop() waited for its answer.
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
  await h?.close();
  h = undefined;
});

/** A GLB check worker that takes the warm-up's request and never answers (a validator still loading on a busy machine). */
function silentWorker(): Worker {
  const worker = new Worker("require('node:worker_threads').parentPort.on('message', () => {});", { eval: true });
  workers.push(worker);
  return worker;
}

describe('the warm-up against stop and close', () => {
  it('a stop while the GLB check worker loads does not wait for its first answer', async () => {
    h = await createHarness({ engine: { glbWorker: { warmForFal: true, start: silentWorker }, logger: SILENT } });
    await waitUntil(() => workers.length, (n) => n === 1, 10_000, () => 'the warm-up did not start the worker');
    // The worker never answers on its own: only a stop that does not wait for it returns.
    await h.engine.stop();
    await h.engine.whenWarm();
    // close() then ends the thread the warm-up started.
    await h.engine.close();
    await waitUntil(() => workers[0]!.threadId, (id) => id === -1, 10_000, () => 'the worker thread is still running after close');
  });

  it('a stop while the image tools warm up does not then start the GLB check worker', async () => {
    let release!: () => void;
    let warming = false;
    const warmUp = async () => {
      warming = true;
      await new Promise<void>((resolve) => (release = resolve));
    };
    let started = 0;
    const start = () => {
      started++;
      return silentWorker();
    };
    h = await createHarness({ engine: { warmUp, glbWorker: { warmForFal: true, start }, logger: SILENT } });
    await waitUntil(() => warming, Boolean, 10_000, () => 'the warm-up did not start');
    const stopping = h.engine.stop();
    release();
    await stopping;
    expect(started).toBe(0);
  });
});

describe('a stop while start() is under way', () => {
  it('leaves the engine stopped: the queued job is not claimed', async () => {
    h = await createHarness({ start: false });
    const id = await addOne(h.engine);
    const starting = h.engine.start();
    await h.engine.stop();
    await starting;
    expect(h.engine.getJob(id)?.state).toBe('queued');
  });

  it('start, stop, start: one warm-up, not two', async () => {
    let calls = 0;
    const warmUp = async () => void calls++;
    h = await createHarness({ start: false, engine: { warmUp } });
    const first = h.engine.start();
    await h.engine.stop();
    await h.engine.start();
    await first;
    // The first start's warm-up, had it been scheduled, was due before the second's (both at 0 ms).
    await h.engine.whenWarm();
    expect(calls).toBe(1);
  });
});
