// Attack: the submit is armed (fsynced) before the job waits for its slot and only marked sent (no
// fsync) just before the POST. A power cut after the POST can lose the mark; after the restart the
// job is needs_attention with its send time taken from the arm - which may be long before the real
// POST (the slot wait). The reconciler counted FAL's listing delay (settleMs) from that time, so a
// request FAL received moments before the power cut and has not listed yet was declared "never
// received, safe to send again": a second charge on Retry (or by itself with auto-resubmit).
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { addOne, inState, waitForJob } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();
afterEach(() => vi.unstubAllEnvs());

it('a request sent after a long slot wait, its mark lost to a power cut, is not declared "never received" before FAL could list it', async () => {
  const h = await fixture.harness({ fake: { holdJobs: true } });
  const id = await addOne(h.engine);
  const sent = await waitForJob(h.engine, id, inState('submitted', 'running'));
  const requestId = sent.falRequestId!;
  await h.engine.close();

  // What the disk holds after the power cut: the armed intent (fsynced) - armed 11 minutes before the
  // POST, the job having waited that long for a slot - and nothing after it (the mark, the request id).
  const db = new Database(join(h.dataDir, 'image2model.db'));
  const row = db.prepare('SELECT submit_armed_at, submit_armed_boot, submit_input_json FROM jobs WHERE id = ?').get(id) as Record<string, unknown>;
  expect(row.submit_input_json).toEqual(expect.any(String));
  const sentAt = Date.now();
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
  db.prepare(
    `UPDATE jobs SET state = 'preparing', fal_request_id = NULL, submitted_at = NULL, submit_started_at = NULL,
       submit_armed_at = ?, submit_armed_boot = COALESCE(submit_armed_boot, ?), lease_owner = ?, lease_expires_at = ?, fence = fence + 1 WHERE id = ?`,
  ).run(sentAt - 11 * 60_000, 'armed-boot', `${hostname()}/${deadPid}/crashed`, Date.now() + 3_600_000, id);
  db.prepare('DELETE FROM spend WHERE job_id = ?').run(id);
  db.close();

  // The machine restarted: recovery cannot trust the missing mark.
  vi.stubEnv('IMAGE2MODEL_TEST_BOOT_ID', 'the-boot-after-the-power-cut');
  await h.reopen();
  await waitForJob(h.engine, id, inState('needs_attention'));

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
