// Cancel, retry, restart and crash recovery: never a second submit unless the user confirms.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SUBMIT_INTERRUPTED_MESSAGE } from '../../../src/core/engine';
import { currentBoot } from '../../../src/core/util/boot';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness;
afterEach(async () => h?.close());

/** A lease owner string for a process that has exited (as after a crash). */
function deadOwner(): string {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid;
  return `${hostname()}/${pid}/crashed`;
}

function rawDb(h: Harness): Database.Database {
  return new Database(join(h.dataDir, 'image2model.db'));
}

describe('cancel', () => {
  it('cancels a queued job at once; nothing reaches FAL', async () => {
    h = await createHarness({ start: false });
    const id = await addOne(h.engine);
    const job = await h.engine.cancel(id);
    expect(job.state).toBe('canceled');
    await h.engine.start();
    await h.engine.waitForIdle();
    expect(h.fake.requests).toHaveLength(0);
    expect(h.engine.getJob(id)!.state).toBe('canceled');
  });

  it('cancels a running job: FAL is told, the job ends canceled', async () => {
    h = await createHarness({ fake: { holdJobs: true, cancelStopsRunning: true } });
    const id = await addOne(h.engine);
    const running = await waitForJob(h.engine, id, inState('running'));
    const job = await h.engine.cancel(id);
    expect(job.state).toBe('canceled');
    expect(job.message).toMatch(/FAL was asked to stop/);
    // FAL's model may ignore the signal and FAL may charge a request it had started: said, not hidden.
    expect(job.message).toMatch(/It had already started, so FAL may still charge for it\.$/);
    expect(h.fake.job(running.falRequestId!)!.cancelled).toBe(true);
    expect(h.fake.requestsFor('cancel')).toHaveLength(1);
  });

  it('cancels a job still waiting in FAL\'s queue without saying it may be charged (FAL removes it)', async () => {
    h = await createHarness({ fake: { holdJobs: true, concurrency: 1 }, engine: { concurrency: 2 } });
    const first = await addOne(h.engine);
    await waitForJob(h.engine, first, inState('running'));
    const second = await addOne(h.engine);
    await waitForJob(h.engine, second, inState('submitted'));
    const job = await h.engine.cancel(second);
    expect(job.state).toBe('canceled');
    expect(job.message).toBe('Canceled; FAL was asked to stop the job.');
  });

  it('keeps the result of a job it saw FAL finish (downloading), without asking FAL to cancel it', async () => {
    h = await createHarness();
    // Stall the result GET so the job is still ours (downloading) when FAL has completed it.
    h.fake.script({ op: 'result', fault: { kind: 'hang' } });
    const id = await addOne(h.engine);
    const downloading = await waitForJob(h.engine, id, inState('downloading'));
    await h.fake.waitFor(downloading.falRequestId!, 'COMPLETED');
    const job = await h.engine.cancel(id);
    expect(job.state).toBe('succeeded');
    expect(job.modelId).not.toBeNull();
    expect(h.fake.requestsFor('cancel')).toEqual([]);
    expect(h.engine.library.get(job.modelId!)).not.toBeNull();
  });

  it('keeps the result when FAL says ALREADY_COMPLETED', async () => {
    h = await createHarness({ fake: { holdJobs: true }, engine: { useStatusStream: false } });
    const id = await addOne(h.engine);
    const running = await waitForJob(h.engine, id, inState('running'));
    // FAL finishes it, but the app does not hear of it (its status questions go unanswered).
    h.fake.script({ op: 'status', times: Infinity, fault: { kind: 'hang' } });
    expect(h.fake.completeNow(running.falRequestId!)).toBe(true);
    const job = await h.engine.cancel(id);
    expect(job.state).toBe('succeeded');
    expect(job.modelId).not.toBeNull();
    expect(h.fake.requestsFor('cancel').map((r) => r.outcome)).toEqual([400]);
    expect(h.engine.library.get(job.modelId!)).not.toBeNull();
  });

  it('cancels a job that waits to resume (request id stored) by telling FAL', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const id = await addOne(h.engine);
    const running = await waitForJob(h.engine, id, inState('running'));
    await h.engine.stop(); // releases the job back to the queue, keeping its request id
    expect(h.engine.getJob(id)).toMatchObject({ state: 'queued', falRequestId: running.falRequestId });
    await h.engine.start();
    const job = await h.engine.cancel(id);
    expect(job.state).toBe('canceled');
    expect(h.fake.requestsFor('cancel')).toHaveLength(1);
    expect(h.fake.submissions).toHaveLength(1);
  });
});

describe('retry', () => {
  it('reuses the uploaded input URL (one upload) and submits again after a failed run', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', detail: 'Model crashed' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('failed');
    // Generating again is a new, paid request: it asks first.
    await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required' });
    const queued = await h.engine.retry(id, { confirm: true });
    expect(queued).toMatchObject({ state: 'queued', attempts: 0, errorCode: null });
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
    expect(h.fake.uploads()).toHaveLength(1);
    expect(h.fake.submissions).toHaveLength(2);
    expect(h.fake.submissionsFor(h.fake.uploads()[0]!.sha256)).toBe(2);
  });

  it('resumes following (no new submit) when a job failed only because status calls kept failing', async () => {
    h = await createHarness({ engine: { maxAttempts: 2, useStatusStream: false }, fake: { processingMs: 400 } });
    h.fake.script({ op: 'status', fault: { kind: 'infra', status: 502 }, times: 2 });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'failed', errorCode: 'server_error' });
    await h.engine.retry(id, {});
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('refuses to retry jobs that have not failed', async () => {
    h = await createHarness();
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.engine.retry('nope', {})).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('restart and crash recovery', () => {
  it('a job with a stored request id resumes following after a restart; never a second submit', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const id = await addOne(h.engine);
    const running = await waitForJob(h.engine, id, inState('running'));
    await h.engine.close();
    h.fake.completeNow(running.falRequestId!);
    await h.reopen();
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded', falRequestId: running.falRequestId });
    expect(h.fake.submissions).toHaveLength(1);
    expect(h.fake.uploads()).toHaveLength(1);
  });

  it('collects a finished result even when the app was closed past the follow timeout', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const id = await addOne(h.engine);
    const running = await waitForJob(h.engine, id, inState('running'));
    await h.engine.close();
    const db = rawDb(h);
    db.prepare('UPDATE jobs SET submitted_at = ? WHERE id = ?').run(Date.now() - 24 * 3_600_000, id);
    db.close();
    h.fake.completeNow(running.falRequestId!);
    await h.reopen();
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
  });

  it('after a crash (dead lease owner) the job resumes at once with its request id', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const id = await addOne(h.engine);
    const running = await waitForJob(h.engine, id, inState('running'));
    await h.engine.close();
    // What a SIGKILL leaves behind: the job still "running" under a live-looking lease.
    const db = rawDb(h);
    db.prepare('UPDATE jobs SET state = ?, lease_owner = ?, lease_expires_at = ? WHERE id = ?').run('running', deadOwner(), Date.now() + 3_600_000, id);
    db.close();
    h.fake.completeNow(running.falRequestId!);
    await h.reopen();
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a submit intent without a request id becomes needs_attention, never a silent resubmit', async () => {
    h = await createHarness({ start: false });
    const id = await addOne(h.engine);
    await h.engine.close();
    const db = rawDb(h);
    db.prepare(
      `UPDATE jobs SET state = 'preparing', input_url = 'http://x/in.png', submit_started_at = ?, lease_owner = ?,
         lease_expires_at = ?, fence = fence + 1 WHERE id = ?`,
    ).run(Date.now(), deadOwner(), Date.now() + 3_600_000, id);
    db.close();
    await h.reopen();
    const job = await waitForJob(h.engine, id, inState('needs_attention'));
    expect(job.errorMessage).toBe(SUBMIT_INTERRUPTED_MESSAGE);
    expect(job.errorCode).toBe('submit_interrupted');
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(0);

    await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required' });
    expect(h.engine.getJob(id)!.state).toBe('needs_attention');
    await h.engine.retry(id, { confirm: true });
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
  });

  // What a kill leaves while a job waits for its slot: the intent armed (fsynced), not marked sent.
  async function killedWhileArmed(boot: string): Promise<string> {
    h = await createHarness({ start: false });
    const id = await addOne(h.engine);
    await h.engine.close();
    const db = rawDb(h);
    db.prepare(
      `UPDATE jobs SET state = 'preparing', submit_input_json = '{"image_url":"http://x/in.png"}', submit_armed_at = ?,
         submit_armed_boot = ?, lease_owner = ?, lease_expires_at = ?, fence = fence + 1 WHERE id = ?`,
    ).run(Date.now() - 1000, boot, deadOwner(), Date.now() + 3_600_000, id);
    db.close();
    await h.reopen();
    return id;
  }

  it('a job killed while armed for its slot, in this boot, was not sent: it is sent once, with no question', async () => {
    const id = await killedWhileArmed(currentBoot());
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a job armed before the machine restarted may have been sent (the unsynced mark can be lost): needs_attention, nothing sent', async () => {
    const id = await killedWhileArmed('id:the-boot-before-a-power-cut');
    const job = await waitForJob(h.engine, id, inState('needs_attention'));
    expect(job.errorCode).toBe('submit_interrupted');
    await h.engine.waitForIdle();
    expect(h.fake.submissions).toHaveLength(0);
  });

  it('a machine shutting down gives back, at once, the jobs armed for their slot: the next boot finds them queued, and each is sent once', async () => {
    h = await createHarness({ engine: { concurrency: 1, timing: { schedulerPollMs: 60_000 } }, fake: { concurrency: 10, holdJobs: true } });
    const first = await addOne(h.engine);
    const second = await addOne(h.engine);
    await waitForJob(h.engine, second, (job) => /waiting for a free slot/.test(job.message ?? ''));
    const fenceOf = () => {
      const db = rawDb(h);
      const { fence } = db.prepare('SELECT fence FROM jobs WHERE id = ?').get(second) as { fence: number };
      db.close();
      return fence;
    };
    const workersFence = fenceOf();
    expect(h.engine.releaseUnsentNow()).toBe(1);
    expect(fenceOf()).toBeGreaterThan(workersFence);
    // What the disk holds now (the OS flushes it on a clean shutdown): no arm a restart could take
    // for "may have been sent", and a new fence the waiting worker does not have.
    const db = rawDb(h);
    const row = db.prepare('SELECT state, submit_armed_at, submit_started_at, lease_owner FROM jobs WHERE id = ?').get(second);
    db.close();
    expect(row).toEqual({ state: 'queued', submit_armed_at: null, submit_started_at: null, lease_owner: null });
    // The release began the engine's stop; a stop() called now waits for it (close() must not close the
    // database under workers still letting go): the generating job's lease is given back by then.
    await h.engine.stop();
    const db2 = rawDb(h);
    expect(db2.prepare('SELECT lease_owner FROM jobs WHERE id = ?').get(first)).toEqual({ lease_owner: null });
    db2.close();
    // Claims have stopped: the job given back is not claimed and armed again while the machine goes down.
    h.fake.setOptions({ holdJobs: false });
    h.fake.completeNow(h.engine.getJob(first)!.falRequestId!);
    h.engine.setConcurrency(1); // would wake a running claim loop
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.engine.getJob(second)!.state).toBe('queued');
    // The next start sends it, once.
    await h.reopen();
    await h.engine.waitForIdle();
    expect(h.engine.getJob(first)!.state).toBe('succeeded');
    expect(h.engine.getJob(second)!.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(2);
  });

  it('stop() releases leases without canceling anything on FAL', async () => {
    h = await createHarness({ fake: { holdJobs: true } });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, inState('running'));
    await h.engine.stop();
    const job = h.engine.getJob(id)!;
    expect(job.state).toBe('queued');
    expect(h.fake.requestsFor('cancel')).toHaveLength(0);
    const db = rawDb(h);
    const row = db.prepare('SELECT lease_owner, lease_expires_at FROM jobs WHERE id = ?').get(id);
    db.close();
    expect(row).toEqual({ lease_owner: null, lease_expires_at: null });
  });

  it('removes leftover temp files at start-up', async () => {
    h = await createHarness({ start: false });
    const { writeFileSync, existsSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(h.dataDir, 'library', 'ab'), { recursive: true });
    const temp = join(h.dataDir, 'library', 'ab', '.tmp-123456-x.glb');
    const input = join(h.dataDir, 'inputs', '.tmp-654321-y.png');
    writeFileSync(temp, 'partial');
    writeFileSync(input, 'partial');
    await h.engine.start();
    expect(existsSync(temp)).toBe(false);
    expect(existsSync(input)).toBe(false);
  });
});
