// Attack: the submit is armed (fsynced) before the job waits for its slot and only marked sent (no
// fsync) just before the POST. A power cut after the POST can lose the mark; after the restart the
// job is needs_attention with its send time taken from the arm - which may be long before the real
// POST (the slot wait). Two things counted from that time as if it were the send:
//   - the reconciler's wait for FAL's listing delay (settleMs): a request FAL received moments before
//     the power cut and had not listed yet was declared "never received, safe to send again" - a
//     second charge on Retry (or by itself with auto-resubmit);
//   - the follow deadline of the adopted job (submitted_at): the request FAL was running was given up
//     at once as "FAL did not finish in time", FAL told to stop it, its paid result out of reach.
// It counts from when FAL received the request (its history row), never from when the app found the
// job: a job recovered days after its send kept its real date (its billing is looked up around it).
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { addOne, inState, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();
afterEach(() => vi.unstubAllEnvs());

/**
 * Sends a job (FAL holds it running), then leaves on disk what a power cut right after its POST can
 * leave: the armed intent (fsynced), armed `slotWaitMs` before the POST, and nothing after it (the
 * mark, the request id). The machine then restarts: returns once recovery made it needs_attention.
 */
async function sentThenPowerCut(h: Harness, slotWaitMs: number): Promise<{ id: string; requestId: string }> {
  const id = await addOne(h.engine);
  const sent = await waitForJob(h.engine, id, inState('running'));
  const requestId = sent.falRequestId!;
  await h.engine.close();
  const db = new Database(join(h.dataDir, 'image2model.db'));
  const row = db.prepare('SELECT submit_armed_at, submit_input_json FROM jobs WHERE id = ?').get(id) as Record<string, unknown>;
  expect(row.submit_input_json).toEqual(expect.any(String));
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
  db.prepare(
    `UPDATE jobs SET state = 'preparing', fal_request_id = NULL, submitted_at = NULL, submit_started_at = NULL,
       submit_armed_at = ?, submit_armed_boot = COALESCE(submit_armed_boot, 'armed-boot'), lease_owner = ?, lease_expires_at = ?, fence = fence + 1 WHERE id = ?`,
  ).run(Date.now() - slotWaitMs, `${hostname()}/${deadPid}/crashed`, Date.now() + 3_600_000, id);
  db.prepare('DELETE FROM spend WHERE job_id = ?').run(id);
  db.close();
  // The machine restarted: recovery cannot trust the missing mark.
  vi.stubEnv('IMAGE2MODEL_TEST_BOOT_ID', 'the-boot-after-the-power-cut');
  await h.reopen();
  await waitForJob(h.engine, id, inState('needs_attention'));
  return { id, requestId };
}

it('a request sent after a long slot wait, its mark lost to a power cut, is not declared "never received" before FAL could list it', async () => {
  const h = await fixture.harness({ fake: { holdJobs: true } });
  // Armed 11 minutes before the POST (the default settle time is 10).
  const { id, requestId } = await sentThenPowerCut(h, 11 * 60_000);

  // FAL received the request moments ago and does not list it yet (well within its listing delay).
  h.fake.platform.set({ listingDelayMs: 60_000 });
  const reconciler = fixture.reconciler(h);
  const early = await reconciler.runOnce({ force: true });
  expect(early.absent).toEqual([]);
  expect(early.resubmitted).toEqual([]);
  expect(h.engine.getJob(id)!.errorCode).not.toBe('submit_not_received');

  // Once FAL lists it, it is adopted: one submission in all.
  h.fake.platform.set({ listingDelayMs: 0 });
  const later = await reconciler.runOnce({ force: true });
  expect(later.adopted).toEqual([{ jobId: id, requestId }]);
  expect(h.fake.submissions).toHaveLength(1);
});

it('an adopted request whose mark was lost is followed for the whole follow time from its send, not given up for its slot wait', async () => {
  const h = await fixture.harness({ fake: { holdJobs: true } });
  // Armed longer before the POST than the follow time (20 s here, 30 min in the app).
  const { id, requestId } = await sentThenPowerCut(h, 25_000);
  const report = await fixture.reconciler(h).runOnce({ force: true });
  expect(report.adopted).toEqual([{ jobId: id, requestId }]);

  // FAL is still running it: the job follows it (it is not failed as timed out, nor canceled at FAL).
  await waitForJob(h.engine, id, (job) => job.state === 'running' || job.state === 'failed' || job.state === 'canceled');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(h.engine.getJob(id)).toMatchObject({ state: 'running', falRequestId: requestId });
  expect(h.fake.requestsFor('cancel')).toEqual([]);
  h.fake.completeNow(requestId);
  await waitForJob(h.engine, id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(1);
});

it('an adopted request is dated from when FAL received it, not from when the app found the job (its billing is looked up around its real send)', async () => {
  const h = await fixture.harness({ fake: { holdJobs: true } });
  const id = await addOne(h.engine);
  const sent = await waitForJob(h.engine, id, inState('running'));
  const requestId = sent.falRequestId!;
  await h.engine.close();
  // Killed right after the POST (the mark is there, the request id not), and opened again two days later.
  const db = new Database(join(h.dataDir, 'image2model.db'));
  const { submit_started_at: sentAt } = db.prepare('SELECT submit_started_at FROM jobs WHERE id = ?').get(id) as { submit_started_at: number };
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
  db.prepare(
    `UPDATE jobs SET state = 'preparing', fal_request_id = NULL, submitted_at = NULL, lease_owner = ?, lease_expires_at = ?, fence = fence + 1 WHERE id = ?`,
  ).run(`${hostname()}/${deadPid}/crashed`, Date.now() + 3_600_000, id);
  db.prepare('DELETE FROM spend WHERE job_id = ?').run(id);
  db.close();
  const twoDays = 2 * 24 * 3600_000;
  await h.reopen({ now: () => Date.now() + twoDays });
  await waitForJob(h.engine, id, inState('needs_attention'));

  const report = await fixture.reconciler(h).runOnce({ force: true });
  expect(report.adopted).toEqual([{ jobId: id, requestId }]);
  const check = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
  const { submitted_at: submittedAt } = check.prepare('SELECT submitted_at FROM jobs WHERE id = ?').get(id) as { submitted_at: number };
  check.close();
  expect(submittedAt).toBeGreaterThanOrEqual(sentAt);
  expect(submittedAt).toBeLessThan(sentAt + 60_000);
});

/** The spend rows of a job: [at, usd]. */
function spendOf(h: Harness, id: string): { at: number; usd: number }[] {
  const db = new Database(join(h.dataDir, 'image2model.db'), { readonly: true });
  try {
    return db.prepare('SELECT at, usd FROM spend WHERE job_id = ?').all(id) as { at: number; usd: number }[];
  } finally {
    db.close();
  }
}

it("an adopted request's spend is dated when FAL received it, not at the arm before its slot wait", async () => {
  const h = await fixture.harness({ fake: { holdJobs: true } });
  const slotWaitMs = 40 * 60_000;
  const { id, requestId } = await sentThenPowerCut(h, slotWaitMs);
  const report = await fixture.reconciler(h).runOnce({ force: true });
  expect(report.adopted).toEqual([{ jobId: id, requestId }]);
  const receivedAt = h.fake.submissions[0]!.at;
  const [spend, ...more] = spendOf(h, id);
  expect(more).toEqual([]);
  // The arm was 40 minutes before FAL received it (the spending cap counts by day and month).
  expect(Math.abs(spend!.at - receivedAt)).toBeLessThan(1_000);
});

it('"FAL has no record" counts its minutes from the latest the submit can have left, not from an arm before a power cut', async () => {
  const h = await fixture.harness();
  // The submit never reached FAL; the machine lost power with the arm on disk, 30 minutes before.
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  await h.engine.close();
  const db = new Database(join(h.dataDir, 'image2model.db'));
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
  db.prepare(
    `UPDATE jobs SET state = 'preparing', submit_started_at = NULL, finished_at = NULL, submit_armed_at = ?, submit_armed_boot = 'armed-boot',
       lease_owner = ?, lease_expires_at = ?, fence = fence + 1 WHERE id = ?`,
  ).run(Date.now() - 30 * 60_000, `${hostname()}/${deadPid}/crashed`, Date.now() + 3_600_000, id);
  db.close();
  vi.stubEnv('IMAGE2MODEL_TEST_BOOT_ID', 'the-boot-after-the-power-cut');
  await h.reopen();
  const found = await waitForJob(h.engine, id, inState('needs_attention'));
  expect(found.errorCode).toBe('submit_interrupted');

  // Checked 12 minutes after the app found the job (past the settle time): FAL never had it.
  const at = Date.now() + 12 * 60_000;
  const reconciler = fixture.reconciler(h, { clock: () => at });
  const report = await reconciler.runOnce({ force: true });
  expect(report.absent.map((a) => a.jobId)).toEqual([id]);
  const minutes = Number(/(?:at least )?(\d+) min after it was sent/.exec(h.engine.getJob(id)!.errorMessage ?? '')?.[1]);
  expect(minutes).toBeGreaterThanOrEqual(11);
  expect(minutes).toBeLessThanOrEqual(12);
  expect(h.fake.submissions).toHaveLength(0);
});
