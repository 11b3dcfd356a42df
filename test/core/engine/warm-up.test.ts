// The engine's background warm-up after start (the app: loading the image tools, so the first photos
// dropped after launch do not wait for them): it runs once started, stop() waits for it, and one that
// fails is logged and changes nothing else.
import { afterEach, describe, expect, it } from 'vitest';
import { startGlbWorker } from '../../../src/core/library/glb-validator';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('warm-up after start', () => {
  it('runs in the background once started, and stop() waits for it to end', async () => {
    let release!: () => void;
    const calls: string[] = [];
    const warmUp = async () => {
      calls.push('started');
      await new Promise<void>((resolve) => (release = resolve));
      calls.push('ended');
    };
    h = await createHarness({ start: false, engine: { warmUp } });
    expect(calls).toEqual([]);
    await h.engine.start();
    await expect.poll(() => calls).toEqual(['started']);
    let stopped = false;
    const stopping = h.engine.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(calls).toEqual(['started', 'ended']);
    await h.engine.whenWarm();
  });

  it("waits for its time after start (the app's window loads meanwhile); a stop before then skips it", async () => {
    let calls = 0;
    const warmUp = async () => void calls++;
    h = await createHarness({ start: false, engine: { warmUp, timing: { warmUpDelayMs: 60_000 } } });
    await h.engine.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(0);
    await h.engine.stop();
    await h.engine.whenWarm();
    expect(calls).toBe(0);
  });

  it('a warm-up that fails is logged as a warning; the queue runs as before', async () => {
    const warnings: string[] = [];
    h = await createHarness({
      engine: {
        warmUp: () => Promise.reject(new Error('libvips missing')),
        logger: { info: () => undefined, warn: (message) => void warnings.push(message), error: () => undefined },
      },
    });
    await h.engine.whenWarm();
    expect(warnings.some((message) => message.startsWith('warming up after start failed'))).toBe(true);
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, inState('succeeded'));
  });

  it('with a key, the check worker for FAL models is up before the first drop; without one it is not started', async () => {
    let started = 0;
    const start = () => {
      started++;
      return startGlbWorker();
    };
    h = await createHarness({ start: false, engine: { glbWorker: { warmForFal: true, start } } });
    h.key.value = null;
    await h.engine.start();
    await h.engine.whenWarm();
    expect(started).toBe(0);
    await h.engine.stop();
    h.key.value = 'a-key-for-the-warm-up';
    await h.engine.start();
    await h.engine.whenWarm();
    expect(started).toBe(1);
    // The first FAL job's model is checked by that worker, not one started for it.
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(started).toBe(1);
  });
});
