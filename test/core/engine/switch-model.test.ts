// Switching a waiting job to another generator (jobs:setModel): a job waiting for a key runs offline
// without being removed and added again; a job that left for FAL, a running one and a set the new
// model cannot take are refused and left as they were.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channels } from '../../../src/shared/contract';
import { addOne, createHarness, inState, pngItem, waitForJob, waitForQueue, type Harness } from './harness';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const TRELLIS = 'fal-ai/trellis';
const TRELLIS_MULTI = 'fal-ai/trellis/multi';
const RODIN = 'fal-ai/hyper3d/rodin';
const MULTIVIEW = 'tripo3d/tripo/v2.5/multiview-to-3d';
const RELIEF = 'offline/relief';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The job's wait as stored (the Job the renderer sees does not carry it). */
function storedWait(dataDir: string, id: string): { attempts: number; next_attempt_at: number | null } {
  const db = new Database(join(dataDir, 'image2model.db'), { readonly: true });
  try {
    return db.prepare('SELECT attempts, next_attempt_at FROM jobs WHERE id = ?').get(id) as { attempts: number; next_attempt_at: number | null };
  } finally {
    db.close();
  }
}

async function noKeyHarness(): Promise<Harness> {
  const harness = await createHarness();
  harness.key.value = null;
  return harness;
}

describe('switching a waiting job to another generator', () => {
  it('a FAL job waiting for a key runs offline once switched to Relief: same job, no FAL call', async () => {
    h = await noKeyHarness();
    const id = await addOne(h.engine, { endpoint: TRIPO, preset: 'draft' });
    await waitForQueue(h.engine, (s) => s.status === 'no_key' && s.queued === 1);
    expect(h.engine.getJob(id)!.estimatedCostUsd).toBeGreaterThan(0);

    const switched = h.engine.setModel(id, { endpoint: RELIEF });
    expect(switched).toMatchObject({ id, endpoint: RELIEF, preset: 'draft', estimatedCostUsd: 0 });
    const done = await waitForJob(h.engine, id, inState('succeeded', 'failed'));
    expect(done.state).toBe('succeeded');
    expect(h.engine.library.get(done.modelId!)!.endpoint).toBe(RELIEF);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.engine.jobEvents(id).map((e) => e.message)).toContain('Generator changed from Tripo v2.5 to Relief (offline) (draft)');
    await waitForQueue(h.engine, (s) => s.queued === 0);
  });

  it('another FAL model and preset: the estimate follows, and the new endpoint is what FAL receives', async () => {
    h = await noKeyHarness();
    const id = await addOne(h.engine, { endpoint: TRIPO, preset: 'standard' });
    const switched = h.engine.setModel(id, { endpoint: TRELLIS, preset: 'high' });
    expect(switched).toMatchObject({ endpoint: TRELLIS, preset: 'high', estimatedCostUsd: 0.02, state: 'queued' });
    h.key.value = 'new-key-0123456789';
    h.engine.keyChanged();
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(h.fake.submissions.map((s) => s.endpointId)).toEqual([TRELLIS]);
  });

  it('a rate-limited job keeps its wait on another FAL model; switched to Relief it runs at once', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'rateLimit', retryAfter: 600 } });
    const id = await addOne(h.engine, { endpoint: TRIPO, preset: 'draft' });
    await waitForJob(h.engine, id, (job) => job.state === 'queued' && job.errorCode === 'rate_limited');
    const wait = storedWait(h.dataDir, id);
    expect(wait.next_attempt_at).toBeGreaterThan(Date.now() + 500_000);

    // FAL limits the account, not one model: another FAL model waits just as long.
    expect(h.engine.setModel(id, { endpoint: TRELLIS })).toMatchObject({ endpoint: TRELLIS, state: 'queued' });
    expect(storedWait(h.dataDir, id)).toEqual(wait);

    // The offline generator never calls FAL: it does not wait for FAL's limit.
    h.engine.setModel(id, { endpoint: RELIEF });
    expect(storedWait(h.dataDir, id)).toEqual({ attempts: 0, next_attempt_at: null });
    expect((await waitForJob(h.engine, id, inState('succeeded', 'failed'))).state).toBe('succeeded');
    expect(h.fake.requestsFor('submit').map((r) => r.outcome)).toEqual([429]);
  });

  it('a job backing off after a failed try keeps its attempts and wait on another FAL model', async () => {
    h = await createHarness({ engine: { backoff: { baseMs: 600_000, capMs: 600_000 } } });
    h.fake.script({ op: 'initiate', fault: { kind: 'infra', status: 500 } });
    const id = await addOne(h.engine, { endpoint: TRIPO, preset: 'draft' });
    await waitForJob(h.engine, id, (job) => job.state === 'queued' && job.attempts === 1);
    const wait = storedWait(h.dataDir, id);
    expect(wait).toMatchObject({ attempts: 1, next_attempt_at: expect.any(Number) });

    h.engine.setModel(id, { endpoint: TRELLIS, preset: 'high' });
    expect(storedWait(h.dataDir, id)).toEqual(wait);
    expect(h.engine.getJob(id)).toMatchObject({ endpoint: TRELLIS, preset: 'high', attempts: 1 });
  });

  it('refuses a job that was sent to FAL, while it runs and once it waits again to resume; it keeps its generator', async () => {
    h = await createHarness({ fake: { processingMs: 60_000 } });
    const id = await addOne(h.engine, { endpoint: TRIPO });
    await waitForJob(h.engine, id, (job) => job.falRequestId !== null);
    expect(() => h!.engine.setModel(id, { endpoint: RELIEF })).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/already sent to FAL/) }));
    // Stopped, the job goes back to the queue with its request id, to be followed on the next start.
    await h.engine.stop();
    const waiting = h.engine.getJob(id)!;
    expect(waiting).toMatchObject({ state: 'queued', endpoint: TRIPO });
    expect(waiting.falRequestId).not.toBeNull();
    expect(() => h!.engine.setModel(id, { endpoint: RELIEF })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(h.engine.getJob(id)).toMatchObject({ state: 'queued', endpoint: TRIPO, estimatedCostUsd: waiting.estimatedCostUsd });
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('refuses a finished job, an unknown model and an unknown job', async () => {
    h = await noKeyHarness();
    const done = await addOne(h.engine, { endpoint: RELIEF, preset: 'draft' });
    await waitForJob(h.engine, done, inState('succeeded'));
    expect(() => h!.engine.setModel(done, { endpoint: TRELLIS })).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringMatching(/only a job that is waiting/i) }));

    const waiting = await addOne(h.engine, { endpoint: TRIPO });
    expect(() => h!.engine.setModel(waiting, { endpoint: 'fal-ai/unknown' })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => h!.engine.setModel('no-such-job', { endpoint: RELIEF })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(h.engine.getJob(waiting)).toMatchObject({ state: 'queued', endpoint: TRIPO });
  });

  it('a multi-image job switches only to a model that takes its images; otherwise a clear refusal', async () => {
    h = await noKeyHarness();
    const members = [{ item: await pngItem('a.png') }, { item: await pngItem('b.png') }];
    const { added } = await h.engine.addSet(members, { endpoint: TRELLIS_MULTI });
    const id = added[0]!.id;
    expect(() => h!.engine.setModel(id, { endpoint: RELIEF })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/cannot switch to Relief \(offline\).*one image/) }),
    );
    // Tripo Multiview names its images by view; these have none.
    expect(() => h!.engine.setModel(id, { endpoint: MULTIVIEW })).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/view/) }));
    expect(h.engine.getJob(id)).toMatchObject({ state: 'queued', endpoint: TRELLIS_MULTI });
    // An ordered multi-image model takes them as they are.
    expect(h.engine.setModel(id, { endpoint: RODIN })).toMatchObject({ endpoint: RODIN, estimatedCostUsd: 0.4 });
  });

  it('the channel refuses input that is not a job id and a model (zod)', () => {
    const input = channels['jobs:setModel'].input;
    expect(input.safeParse({ id: 'j1', endpoint: RELIEF }).success).toBe(true);
    expect(input.safeParse({ id: 'j1', endpoint: RELIEF, preset: 'draft' }).success).toBe(true);
    for (const bad of [{ id: 'j1' }, { endpoint: RELIEF }, { id: '', endpoint: RELIEF }, { id: 'j1', endpoint: '' }, { id: 'j1', endpoint: RELIEF, preset: 'ultra' }, { id: 'j1', endpoint: RELIEF, options: {} }]) {
      expect(input.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
