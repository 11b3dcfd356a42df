import { readFileSync, existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { validateGlb } from '../../../src/core/library/glb';
import { addOne, createHarness, inState, pngItem, waitForJob, type Harness } from './harness';

let h: Harness;
afterEach(async () => h?.close());

describe('engine happy path against the fake FAL server', () => {
  it('uploads, submits, follows, downloads, validates and stores the GLB with stats and preview', async () => {
    h = await createHarness();
    const library: string[] = [];
    h.engine.on('library', (change) => library.push(`${change.kind}:${change.id}`));
    const id = await addOne(h.engine, { preset: 'draft' });
    await h.engine.waitForIdle();

    const job = h.engine.getJob(id)!;
    expect(job.state).toBe('succeeded');
    expect(job.progress).toBe(100);
    expect(job.falRequestId).toMatch(/.+/);
    expect(job.modelId).not.toBeNull();
    expect(job.errorCode).toBeNull();

    const model = h.engine.library.get(job.modelId!)!;
    expect(model.jobId).toBe(id);
    expect(model.stats.triangles).toBeGreaterThan(0);
    expect(model.stats.textures.length).toBeGreaterThan(0);
    expect(model.hasPreview).toBe(true);
    expect(model.sourceName).toMatch(/\.png$/);
    expect(library).toEqual([`added:${model.id}`]);
    // Completion came through the status stream, with no polling needed.
    expect(h.fake.requestsFor('stream').length).toBeGreaterThan(0);
    expect(h.fake.requestsFor('status')).toHaveLength(0);

    const file = h.engine.library.filePath(model.id)!;
    expect(file.startsWith(h.dataDir)).toBe(true);
    expect((await validateGlb(new Uint8Array(readFileSync(file)))).ok).toBe(true);
    expect(existsSync(h.engine.library.previewPath(model.id)!)).toBe(true);

    // Exactly one upload and one submission; the input sent is the uploaded URL.
    expect(h.fake.uploads()).toHaveLength(1);
    expect(h.fake.submissions).toHaveLength(1);
    expect(h.fake.submissionsFor(h.fake.uploads()[0]!.sha256)).toBe(1);
  });

  it('emits progress that never goes back, friendly log lines and the state path', async () => {
    h = await createHarness({ fake: { processingMs: 300 } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const seen = h.jobs.get(id)!;
    const progress = seen.map((j) => j.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const states = seen.map((j) => j.state).filter((s, i, all) => all[i - 1] !== s);
    expect(states).toEqual(['queued', 'preparing', 'submitted', 'running', 'downloading', 'succeeded']);
    const lines = h.engine.jobEvents(id).filter((e) => e.kind === 'log').map((e) => e.message);
    expect(lines).toEqual(expect.arrayContaining(['Starting 3D model generation...', 'Generating mesh', 'Finalizing output']));
    expect(new Set(lines).size).toBe(lines.length);
  });

  it("journals every state in order with its own time, though FAL's progress states ride on the next write", async () => {
    h = await createHarness({ fake: { processingMs: 80 } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const transitions = h.engine.jobEvents(id).filter((e) => e.kind === 'transition' && e.fromState !== null);
    expect(transitions.map((e) => `${e.fromState}->${e.toState}`)).toEqual([
      'queued->preparing',
      'preparing->submitted',
      'submitted->running',
      'running->downloading',
      'downloading->succeeded',
    ]);
    const times = transitions.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // FAL's log lines sit between its running and finished states, as they came.
    const events = h.engine.jobEvents(id);
    const at = (predicate: (e: (typeof events)[number]) => boolean) => events.findIndex(predicate);
    const firstLine = at((e) => e.kind === 'log' && e.message === 'Generating mesh');
    expect(firstLine).toBeGreaterThan(at((e) => e.toState === 'running'));
    expect(firstLine).toBeLessThan(at((e) => e.toState === 'succeeded'));
  });

  it('another process reading the database sees a job running at FAL within a second', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, inState('running'));
    const reader = openDatabase(h.dataDir);
    try {
      const stored = () => (reader.prepare('SELECT state FROM jobs WHERE id = ?').get(id) as { state: string }).state;
      await vi.waitFor(() => expect(stored()).toBe('running'), { timeout: 1_000, interval: 10 });
    } finally {
      reader.close();
    }
    h.fake.setOptions({ holdJobs: false });
    await h.engine.waitForIdle();
  });

  it('generates at most `concurrency` jobs at once (others prepare or finish alongside), oldest first', async () => {
    h = await createHarness({ engine: { concurrency: 2 }, fake: { concurrency: 10, processingMs: 150 } });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await addOne(h.engine));
    let maxAtFal = 0;
    let maxActive = 0;
    const timer = setInterval(() => {
      const jobs = h.engine.listJobs();
      maxAtFal = Math.max(maxAtFal, jobs.filter(inState('submitted', 'running')).length);
      maxActive = Math.max(maxActive, jobs.filter(inState('preparing', 'submitted', 'running', 'downloading')).length);
    }, 5);
    await h.engine.waitForIdle();
    clearInterval(timer);
    expect(maxAtFal).toBeLessThanOrEqual(2);
    // The scheduler's bound on its workers (queue/scheduler.ts): two preparing (or ready and waiting),
    // two generating and up to four finishing (fetching, checking, storing: on a busy machine they
    // pile up) - never all twelve at once.
    expect(maxActive).toBeLessThanOrEqual(8);
    // FAL never had more than two of them pending at once.
    const pending = new Set<string>();
    let maxPending = 0;
    for (const event of h.fake.events) {
      if (event.type === 'submitted') pending.add(event.requestId);
      if (event.type === 'completed') pending.delete(event.requestId);
      maxPending = Math.max(maxPending, pending.size);
    }
    expect(maxPending).toBeLessThanOrEqual(2);
    expect(h.fake.submissions.map((s) => s.requestId)).toEqual(ids.map((id) => h.engine.getJob(id)!.falRequestId));
  });

  it('uploads the next job while every slot is busy, and sends it as soon as one is free', async () => {
    // No poll to fall back on: the next job is claimed because the first took its slot.
    h = await createHarness({ engine: { concurrency: 1, timing: { schedulerPollMs: 60_000 } }, fake: { concurrency: 10, holdJobs: true } });
    const added = await h.engine.addImages([await pngItem(), await pngItem()], {});
    const [first, second] = added.added.map((job) => job.id) as [string, string];
    await waitForJob(h.engine, first, inState('running'));
    // The second image is at FAL's storage already, but nothing more is generating.
    await vi.waitFor(() => expect(h.fake.uploads()).toHaveLength(2), { timeout: 10_000, interval: 10 });
    await waitForJob(h.engine, second, (job) => /waiting for a free slot/.test(job.message ?? ''));
    expect(h.fake.submissions).toHaveLength(1);
    expect(h.engine.getJob(second)!.state).toBe('preparing');
    h.fake.completeNow(h.engine.getJob(first)!.falRequestId!);
    await waitForJob(h.engine, second, inState('running'));
    h.fake.setOptions({ holdJobs: false });
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(2);
    expect(h.fake.uploads()).toHaveLength(2);
  });

  it('a job waiting for a slot is canceled at once, with nothing sent to FAL', async () => {
    h = await createHarness({ engine: { concurrency: 1 }, fake: { concurrency: 10, holdJobs: true } });
    const first = await addOne(h.engine);
    const second = await addOne(h.engine);
    await waitForJob(h.engine, second, (job) => /waiting for a free slot/.test(job.message ?? ''));
    await h.engine.cancel(second);
    await waitForJob(h.engine, second, inState('canceled'));
    expect(h.engine.getJob(second)!.message).toBe('Canceled');
    h.fake.setOptions({ holdJobs: false });
    await h.engine.waitForIdle();
    expect(h.engine.getJob(first)!.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('sends the next job while a finished one is still fetching its model (a slow download holds no FAL slot)', async () => {
    h = await createHarness({ engine: { concurrency: 1 }, fake: { concurrency: 10, processingMs: 50 } });
    // The first model file takes a long while to arrive.
    h.fake.script({ op: 'file', times: 1, when: (ctx) => ctx.targetUrl.includes('.glb'), delayMs: 4000 });
    const first = await addOne(h.engine);
    const second = await addOne(h.engine);
    // The second job's submit, known by its photo: the first job's request id is stored only once FAL's
    // answer is back, so "not the first's id" also matched the first's own submit when it came late.
    const secondPhoto = h.engine.getJob(second)!.inputSha256;
    await vi.waitFor(() => expect(h.fake.submissionsFor(secondPhoto)).toBe(1), { timeout: 20_000, interval: 10 });
    // The second job was sent while the first was still downloading.
    expect(h.engine.getJob(first)!.state).toBe('downloading');
    await h.engine.waitForIdle();
    expect(h.engine.getJob(first)!.state).toBe('succeeded');
    expect(h.engine.getJob(second)!.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(2);
  });

  it('lists the library, renames, tags and deletes (keeping a file another model shares)', async () => {
    h = await createHarness({ fake: { uniqueOutputs: false } });
    const a = await addOne(h.engine);
    const b = await addOne(h.engine);
    await h.engine.waitForIdle();
    const ma = h.engine.getJob(a)!.modelId!;
    const mb = h.engine.getJob(b)!.modelId!;
    expect(h.engine.library.list({ offset: 0, limit: 10 }).total).toBe(2);
    h.engine.library.rename(ma, 'Teapot');
    h.engine.library.setTags(ma, ['kitchen', 'kitchen', ' props ']);
    expect(h.engine.library.get(ma)).toMatchObject({ name: 'Teapot', tags: ['kitchen', 'props'] });
    expect(h.engine.library.list({ query: 'kitch', offset: 0, limit: 10 }).items.map((m) => m.id)).toEqual([ma]);
    expect(h.engine.library.list({ sort: 'name', offset: 0, limit: 10 }).items[0]!.name).not.toBe('');
    const shared = h.engine.library.filePath(mb)!;
    expect(h.engine.library.filePath(ma)).toBe(shared);
    expect(h.engine.library.delete(ma)).toBe(true);
    expect(existsSync(shared)).toBe(true);
    expect(h.engine.library.delete(mb)).toBe(true);
    expect(existsSync(shared)).toBe(false);
    expect(h.engine.library.get(mb)).toBeNull();
  });

  it('removes finished jobs (keeping their models) and reports duplicates unless forced', async () => {
    h = await createHarness();
    const image = await pngItem('same.png');
    const first = await h.engine.addImages([image], {});
    await h.engine.waitForIdle();
    const modelId = h.engine.getJob(first.added[0]!.id)!.modelId!;
    const again = await h.engine.addImages([image], {});
    expect(again.added).toHaveLength(0);
    expect(again.duplicates).toEqual([{ input: 'same.png', modelId, item: 0 }]);
    const forced = await h.engine.addImages([image], { force: true });
    expect(forced.added).toHaveLength(1);
    await h.engine.waitForIdle();
    expect(h.engine.remove(first.added[0]!.id)).toBe(true);
    expect(h.engine.library.get(modelId)).not.toBeNull();
    expect(h.engine.clearFinished()).toBe(1);
    expect(h.engine.listJobs()).toHaveLength(0);
    expect(h.engine.costSummary(100).todayUsd).toBeGreaterThan(0);
  });

  it('rejects bad options for the whole batch and bad images one by one', async () => {
    h = await createHarness();
    await expect(h.engine.addImages([await pngItem()], { options: { face_limit: 5 } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const result = await h.engine.addImages(
      [{ kind: 'bytes', name: 'notes.txt', bytes: new TextEncoder().encode('hello') }, await pngItem()],
      {},
    );
    expect(result.added).toHaveLength(1);
    expect(result.rejected).toEqual([{ input: 'notes.txt', reason: expect.any(String) }]);
    await h.engine.waitForIdle();
  });
});
