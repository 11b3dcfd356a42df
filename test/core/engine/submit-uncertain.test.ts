// The money rule at the submit: once the submit has left, the job has FAL's request id stored or
// needs attention - a 5xx, 408, timeout or dropped answer is never resubmitted automatically, and
// what a reconciler needs (send time, exact input, uploaded URL) is stored.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { busyFaults } from '../../../src/core/db/write';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
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
    const id = await addOne(h.engine);
    // Let the job reach the submit, then make the next writes fail as busy.
    await waitForJob(h.engine, id, (job) => job.message === 'Sending the job to FAL' || job.state === 'submitted');
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
