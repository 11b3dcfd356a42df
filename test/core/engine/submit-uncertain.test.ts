// The money rule at the submit: once the submit has left, the job has FAL's request id stored or
// needs attention - a 5xx, 408, timeout or dropped answer is never resubmitted automatically, and
// what a reconciler needs (send time, exact input, uploaded URL) is stored.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { busyFaults } from '../../../src/core/db/write';
import { JobStore } from '../../../src/core/queue/store';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  busyFaults.remaining = 0;
  await h?.close();
  h = undefined;
});

function storedRow(dataDir: string, id: string): Record<string, unknown> {
  const db = new Database(join(dataDir, 'image2model.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Record<string, unknown>;
  } finally {
    db.close();
  }
}

describe('the submit intent is on disk before the submit leaves', () => {
  // Armed (written and fsynced) before the slot wait, marked sent just before the POST: fal-steps.ts.
  it('sends nothing until the intent is synced; a failed sync sends nothing and leaves no intent', async () => {
    h = await createHarness();
    let release: () => void = () => {};
    let synced = 0;
    // Only the arm's sync is held (or fails below); adding a job syncs too (its answer waits for it).
    let held = 0;
    let armedSync: () => Promise<void> = () => new Promise<void>((resolve) => ((held += 1), (release = () => resolve(void synced++))));
    const syncToDisk = vi.spyOn(JobStore.prototype, 'syncToDisk').mockImplementation(function (this: JobStore) {
      return this.list().some((job) => job.submitArmedAt !== null && job.submitStartedAt === null) ? armedSync() : Promise.resolve();
    });
    const id = await addOne(h.engine);
    await vi.waitFor(() => expect(held).toBe(1), { timeout: 15_000 });
    // The intent is armed (committed, with the exact input), the fsync not done: not marked sent, and
    // FAL has seen nothing.
    const armed = storedRow(h.dataDir, id);
    expect(armed.submit_armed_at).toEqual(expect.any(Number));
    expect(armed.submit_input_json).toEqual(expect.any(String));
    expect(armed.submit_started_at).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.fake.submissions).toHaveLength(0);
    release();
    await waitForJob(h.engine, id, inState('succeeded'));
    expect(synced).toBe(1);
    expect(h.fake.submissions).toHaveLength(1);

    // A disk that cannot sync: nothing is sent, and the job does not look like a send that may have left.
    const callsBefore = syncToDisk.mock.calls.length;
    armedSync = () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    const second = await addOne(h.engine);
    await vi.waitFor(() => expect(syncToDisk.mock.calls.length).toBeGreaterThan(callsBefore + 1), { timeout: 15_000 });
    await vi.waitFor(() => expect(h!.engine.getJob(second)!.state).not.toMatch(/preparing/), { timeout: 15_000 });
    expect(h.fake.submissions).toHaveLength(1);
    expect(storedRow(h.dataDir, second)).toMatchObject({ submit_started_at: null, submit_armed_at: null, submit_input_json: null });
    expect(h.engine.getJob(second)!.state).not.toBe('needs_attention');
  });
});

describe('an uncertain submit needs attention, never an automatic resubmit', () => {
  for (const status of [500, 502, 503, 504] as const) {
    it(`${status} after FAL queued the job: needs attention, one submission, evidence stored`, async () => {
      h = await createHarness();
      h.fake.script({ op: 'submit', fault: { kind: 'infra', status, afterHandling: true } });
      const id = await addOne(h.engine);
      const job = await waitForJob(h.engine, id, inState('needs_attention', 'succeeded', 'failed'));
      await h.engine.waitForIdle();
      expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
      expect(job.errorMessage).toContain(`HTTP ${status}`);
      expect(h.fake.submissions).toHaveLength(1);
      const row = storedRow(h.dataDir, id);
      expect(row.submit_started_at).toEqual(expect.any(Number));
      expect(JSON.parse(String(row.submit_input_json))).toEqual(h.fake.submissions[0]!.input);
      expect(String(row.submit_input_json)).toContain(String(row.input_url));
      expect(row.endpoint).toBe(h.fake.submissions[0]!.endpointId);
    });
  }

  it('408 on submit needs attention', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'http', status: 408, body: { detail: 'Request timeout' } } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
    expect(h.fake.requestsFor('submit')).toHaveLength(1);
  });

  it('a dropped answer after FAL queued the job needs attention; retry asks first', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
    expect(h.fake.submissions).toHaveLength(1);
    await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required' });
    expect(h.fake.submissions).toHaveLength(1);
  });

  for (const chunked of [false, true]) {
    it(`an answer too large to read after FAL queued the job (${chunked ? 'chunked' : 'with its length'}) needs attention, never a free retry`, async () => {
      h = await createHarness();
      h.fake.script({ op: 'submit', fault: { kind: 'oversized', bytes: 17 * 1024 * 1024, chunked } });
      const id = await addOne(h.engine);
      await h.engine.waitForIdle();
      const job = h.engine.getJob(id)!;
      expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
      expect(job.errorMessage).toMatch(/larger than 16 MiB/);
      expect(h.fake.submissions).toHaveLength(1);
      await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required' });
      expect(h.fake.submissions).toHaveLength(1);
    });
  }

  it('a refusal that proves nothing was queued (422) fails without needing attention', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'validation' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'failed', errorCode: 'invalid_input' });
    expect(storedRow(h.dataDir, id).submit_started_at).toBeNull();
  });
});

describe('after FAL accepted the submit, errors never make the job freely retryable', () => {
  it('a database that refuses to store the request id for a moment: the id is stored once it works', async () => {
    h = await createHarness();
    h.fake.setOptions({ holdJobs: true });
    // The submit's answer takes a while, so the faults are in place before the id is to be stored.
    h.fake.script({ op: 'submit', times: 1, delayMs: 400 });
    const id = await addOne(h.engine);
    // Let the job reach the submit, then make the next writes fail as busy.
    await waitForJob(h.engine, id, (job) => job.message === 'Sending the job to FAL');
    expect(h.engine.getJob(id)!.falRequestId).toBeNull();
    busyFaults.remaining = 6;
    const job = await waitForJob(h.engine, id, (j) => j.falRequestId !== null || ['failed', 'needs_attention'].includes(j.state));
    expect(job.state).not.toBe('failed');
    expect(job.falRequestId).toBe(h.fake.submissions[0]!.requestId);
    h.fake.setOptions({ holdJobs: false });
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded' });
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('cancel while the submit is on its way says it may still run (not a plain "Canceled")', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'hang', afterHandling: true } });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, (job) => job.message === 'Sending the job to FAL');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const job = await h.engine.cancel(id);
    const settled = job.state === 'preparing' ? await waitForJob(h.engine, id, inState('needs_attention', 'canceled')) : job;
    expect(settled).toMatchObject({ state: 'needs_attention', errorCode: expect.stringMatching(/uncertain/) });
    expect(settled.message).toMatch(/may (still run|have been accepted)/);
    expect(h.fake.submissions).toHaveLength(1);
  });
});
