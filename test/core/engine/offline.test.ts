// No network, no key, and the keyless offline generator.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import { addOne, createHarness, inState, waitForJob, waitForQueue, type Harness } from './harness';

let h: Harness | undefined;
let extra: FakeFal | undefined;
afterEach(async () => {
  await h?.close();
  await extra?.close();
  h = extra = undefined;
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('offline network', () => {
  it('waits offline without spending attempts and resumes by itself when FAL comes back', async () => {
    const port = await freePort();
    const placeholder = await startFakeFal();
    h = await createHarness({ fakeInstance: placeholder, engine: { falProxyUrl: `http://127.0.0.1:${port}` } });
    const id = await addOne(h.engine);
    const state = await waitForQueue(h.engine, (s) => s.status === 'offline');
    expect(state.message).toMatch(/ECONNREFUSED/);
    expect(state.resumesAt).not.toBeNull();
    const waiting = await waitForJob(h.engine, id, inState('queued'));
    expect(waiting).toMatchObject({ attempts: 0, message: 'Waiting for the connection to FAL' });
    await new Promise((resolve) => setTimeout(resolve, 300)); // several probes fail meanwhile
    expect(h.engine.getJob(id)!.attempts).toBe(0);

    extra = await startFakeFal({ port, processingMs: 50 });
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded', attempts: 0 });
    expect(h.engine.queueState().status).toBe('running');
    expect(extra.submissions).toHaveLength(1);
    await placeholder.close();
  });
});

describe('no key and the offline model', () => {
  it('FAL jobs wait queued in no_key until a key is set', async () => {
    h = await createHarness();
    h.key.value = null;
    const id = await addOne(h.engine);
    await waitForQueue(h.engine, (s) => s.status === 'no_key' && s.queued === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.engine.getJob(id)!.state).toBe('queued');
    expect(h.fake.requests).toHaveLength(0);
    h.key.value = 'new-key-0123456789';
    h.engine.keyChanged();
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
  });

  it('the offline model runs without a key: preparing -> running -> downloading -> succeeded', async () => {
    h = await createHarness();
    h.key.value = null;
    const id = await addOne(h.engine, { endpoint: 'offline/relief', preset: 'draft' });
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job.state).toBe('succeeded');
    const states = h.jobs.get(id)!.map((j) => j.state).filter((s, i, all) => all[i - 1] !== s);
    expect(states).toEqual(['queued', 'preparing', 'running', 'downloading', 'succeeded']);
    const model = h.engine.library.get(job.modelId!)!;
    expect(model.stats.triangles).toBeGreaterThan(0);
    expect(model.costUsd).toBe(0);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.engine.queueState().status).toBe('running');
  });

  it('offline jobs run while FAL jobs wait for a key', async () => {
    h = await createHarness();
    h.key.value = null;
    const falJob = await addOne(h.engine);
    const offlineJob = await addOne(h.engine, { endpoint: 'offline/relief', preset: 'draft' });
    await waitForJob(h.engine, offlineJob, inState('succeeded'), 30_000);
    expect(h.engine.getJob(falJob)!.state).toBe('queued');
    expect(h.engine.queueState().status).toBe('no_key');
  });
});
