// Every FAL failure mode, through the real @fal-ai/client and the fake server: each job ends in its
// documented state with its message.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addOne, createHarness, inState, waitForJob, waitForQueue, type Harness } from './harness';

let h: Harness;
afterEach(async () => h?.close());

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
/** Every file under `<data>/<folder>` (temp files too), by name. */
const filesUnder = (dir: string, folder: string): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(e.name);
    }
  };
  if (existsSync(join(dir, folder))) walk(join(dir, folder));
  return out;
};
const libraryFiles = (dir: string) => filesUnder(dir, 'library');
const previewFiles = (dir: string) => filesUnder(dir, 'previews');

describe('rate limits (429): wait without spending attempts', () => {
  it('honours Retry-After in seconds', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'rateLimit', retryAfter: 1 } });
    const id = await addOne(h.engine);
    const queued = await waitForJob(h.engine, id, (j) => j.state === 'queued' && j.errorCode === 'rate_limited');
    expect(queued.message).toMatch(/trying again in 1 s/);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'succeeded', attempts: 0 });
    const submits = h.fake.requestsFor('submit');
    expect(submits.map((r) => r.outcome)).toEqual([429, 200]);
    expect(submits[1]!.at - submits[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('honours Retry-After as an HTTP date', async () => {
    h = await createHarness();
    const until = new Date(Date.now() + 2_000);
    h.fake.script({ op: 'submit', fault: { kind: 'rateLimit', retryAfter: until } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded', attempts: 0 });
    const submits = h.fake.requestsFor('submit');
    // Not sent again before the date (whole-second precision), however long the first submit took
    // to happen on a loaded machine.
    expect(submits[1]!.at).toBeGreaterThanOrEqual(Math.floor(until.getTime() / 1000) * 1000 - 20);
  });

  it('backs off without Retry-After, any number of times, still no attempt spent', async () => {
    h = await createHarness({ engine: { maxAttempts: 2 } });
    h.fake.script({ op: ['submit', 'status', 'result'], fault: { kind: 'rateLimit' }, times: 4 });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded', attempts: 0 });
    expect(h.fake.requestsFor('submit').filter((r) => r.outcome === 429).length).toBeGreaterThan(0);
  });
});

describe('server errors (5xx), resets and hangs after the submit: back off and spend attempts', () => {
  it('500 while following status is retried by following again (never a second submit)', async () => {
    h = await createHarness({ engine: { useStatusStream: false } });
    h.fake.script({ op: 'status', fault: { kind: 'infra', status: 500 } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a connection reset during submit never resubmits by itself: the job needs attention', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
    expect(job.errorMessage).toMatch(/may or may not have been accepted/);
    // The user confirms; the job is submitted once and finishes.
    await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required' });
    await h.engine.retry(id, { confirm: true });
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a reset after FAL accepted the submit is not paid twice', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a reset while following a submitted job is retried safely (status is not billed)', async () => {
    h = await createHarness({ engine: { useStatusStream: false } });
    h.fake.script({ op: 'status', fault: { kind: 'reset' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded' });
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a submit that hangs is bounded by the request timeout and needs attention, not a blind resubmit', async () => {
    h = await createHarness({ engine: { maxAttempts: 2, timing: { requestTimeoutMs: 300 } } });
    h.fake.script({ op: 'submit', fault: { kind: 'hang' }, times: Infinity });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
    expect(h.fake.requestsFor('submit')).toHaveLength(1);
  });

  it('a hanging status call is bounded by the request timeout and fails after the attempts', async () => {
    h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false, timing: { requestTimeoutMs: 300 } } });
    h.fake.script({ op: 'status', fault: { kind: 'hang' }, times: Infinity });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'failed', attempts: 2, errorCode: 'timeout' });
    expect(job.errorMessage).toMatch(/did not answer in time/);
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a job FAL never finishes is given up after the follow timeout and canceled on FAL', async () => {
    h = await createHarness({ fake: { holdJobs: true }, engine: { timing: { followTimeoutMs: 600 } } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'failed', errorCode: 'fal_timeout' });
    expect(job.errorMessage).toMatch(/did not finish the job within 1 s/);
    await expect.poll(() => h.fake.requestsFor('cancel').length).toBe(1);
  });

  it('a silent status stream falls back to polling', async () => {
    h = await createHarness({ engine: { timing: { streamIdleMs: 200 } } });
    h.fake.script({ op: 'stream', fault: { kind: 'hang' }, times: Infinity });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
    expect(h.fake.requestsFor('status').length).toBeGreaterThan(0);
  });

  it('a failing status stream falls back to polling', async () => {
    h = await createHarness();
    h.fake.script({ op: 'stream', fault: { kind: 'infra', status: 502 }, times: Infinity });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded', attempts: 0 });
    expect(h.fake.requestsFor('status').length).toBeGreaterThan(0);
  });
});

describe('failures that end the job', () => {
  it('422 fails with FAL\'s field message', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'validation' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'failed', errorCode: 'invalid_input', attempts: 0 });
    expect(job.errorMessage).toContain('face_limit: ensure this value is less than or equal to 100000');
  });

  it('a failed run (COMPLETED, result 500) fails with FAL\'s text instead of hanging', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 500, detail: 'CUDA out of memory' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'failed', errorCode: 'run_failed' });
    expect(job.errorMessage).toContain('CUDA out of memory');
  });

  it('a failed run with a 422 result fails with the field message', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 422 } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.errorMessage).toContain('image_url: Could not detect an object in the image');
  });

  it('404 on status (FAL forgot the request) fails with its text', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', outcome: { kind: 'forgotten' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'failed', errorCode: 'request_not_found' });
    expect(job.errorMessage).toContain('Request not found');
  });

  it('a truncated GLB fails the job and nothing enters the library', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', outcome: { kind: 'truncatedGlb' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'failed', errorCode: 'invalid_result', modelId: null });
    expect(job.errorMessage).toMatch(/not a usable GLB/);
    expect(h.engine.library.list({ offset: 0, limit: 10 }).total).toBe(0);
    expect(libraryFiles(h.dataDir)).toEqual([]);
    // The preview, downloaded alongside, went too (no stored file, no temp file).
    expect(previewFiles(h.dataDir)).toEqual([]);
  });

  it('a result that is not a GLB fails the job and nothing enters the library', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', outcome: { kind: 'notGlb' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'failed', errorCode: 'invalid_result' });
    expect(libraryFiles(h.dataDir)).toEqual([]);
    expect(previewFiles(h.dataDir)).toEqual([]);
  });

  it('a result URL that stays expired fails after retries, offering the free Download again', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', outcome: { kind: 'expiredFiles' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
    expect(job.falRequestId).not.toBeNull();
    expect(job.errorMessage).toMatch(/paid for.*Download again/);
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a missing preview image is not fatal', async () => {
    h = await createHarness();
    h.fake.script({ op: 'file', when: (ctx) => ctx.targetUrl.endsWith('/preview.png'), fault: { kind: 'expired' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job.state).toBe('succeeded');
    expect(h.engine.library.get(job.modelId!)!.hasPreview).toBe(false);
    expect(h.engine.jobEvents(id).some((e) => /Preview image not kept/.test(e.message ?? ''))).toBe(true);
  });
});

describe('key problems (401/403): pause the queue, not the job', () => {
  it('401 puts the queue in key_rejected; the job waits queued and resumes after keyChanged', async () => {
    h = await createHarness();
    h.fake.setOptions({ acceptedKeys: ['good-key-0123456789'] });
    const id = await addOne(h.engine);
    const state = await waitForQueue(h.engine, (s) => s.status === 'key_rejected');
    expect(state.message).toContain('No user found for Key ID and Secret');
    // The window learns it from a `queue` event (sent up to 20 ms after the change): before the key is fixed.
    await vi.waitFor(() => expect(h.queueStates.map((s) => s.status)).toContain('key_rejected'));
    const waiting = await waitForJob(h.engine, id, inState('queued'));
    expect(waiting.attempts).toBe(0);
    expect(waiting.message).toBe('Waiting for a working FAL key');
    expect(h.engine.queueState()).toMatchObject({ status: 'key_rejected', queued: 1 });

    h.key.value = 'good-key-0123456789';
    h.engine.keyChanged();
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded', attempts: 0 });
    expect(h.engine.queueState().status).toBe('running');
    expect(h.queueStates.map((s) => s.status)).toContain('key_rejected');
  });

  it('403 for a used-up balance pauses the queue as balance_used_up (not a refused key), and the job says what it waits for', async () => {
    h = await createHarness();
    h.fake.script({ op: 'initiate', fault: { kind: 'auth', status: 403 } });
    const id = await addOne(h.engine);
    const state = await waitForQueue(h.engine, (s) => s.status === 'balance_used_up');
    expect(state.message).toMatch(/Exhausted balance/);
    expect(state.message).toContain('fal.ai/dashboard/billing');
    expect(h.engine.getJob(id)).toMatchObject({ state: 'queued', attempts: 0, message: 'Waiting for your FAL balance to be topped up', errorCode: 'balance_used_up' });
    h.engine.keyChanged();
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
  });

  it('never stores or logs the key, even when FAL echoes it', async () => {
    const logged: string[] = [];
    const logger = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    h = await createHarness({ engine: { logger } });
    const key = h.key.value!;
    h.fake.script({ op: 'submit', fault: { kind: 'http', status: 400, body: { detail: `Bad header Authorization: Key ${key}` } } });
    const id = await addOne(h.engine, { endpoint: TRIPO });
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(job.state).toBe('failed');
    expect(job.errorMessage).toContain('[redacted]');
    expect(JSON.stringify(job)).not.toContain(key);
    expect(JSON.stringify(h.engine.jobEvents(id))).not.toContain(key);
    expect(logged.join('\n')).not.toContain(key);
  });
});
