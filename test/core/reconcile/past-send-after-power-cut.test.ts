// An earlier send's "FAL never received it" must wait for FAL's listing delay counted from the latest
// the send can have left. After a power cut lost the send mark, a job's send time is the arm's - maybe
// long before the POST (a slot wait) - and the app found it so on restart; the job's own check counts
// the delay from then (latestSendAt). Sent again by a confirmed Retry right after the restart, the kept
// earlier send counted it from the arm: settled long ago on paper, so the first check - FAL not listing
// the fresh request yet - concluded "never received" and dropped the possible charge FAL then made.
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/core/db/migrations';
import { openDatabase } from '../../../src/core/db/open';
import { addOne, inState, waitForJob } from '../engine/harness';
import { useReconcileFixture } from './fixture';

const fixture = useReconcileFixture();
// FAL lists nothing until the test says so (set to 0 below): how long the steps before the first check
// take (seconds on a loaded machine) must not decide whether FAL already lists the first send.
const NOT_LISTED_YET_MS = 24 * 3600_000;

it('an earlier send found on restart with only its arm time is not taken for "never received" before FAL could list it', async () => {
  const h = await fixture.harness({ fake: { platform: { listingDelayMs: NOT_LISTED_YET_MS } } });
  // FAL received the submit; its answer was lost.
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  const first = h.fake.submissions[0]!.requestId;
  // As a restart after a power cut leaves it: the send time is the arm's, half an hour before the
  // POST; the job was found so just now (recovery: finished_at).
  const db = openDatabase(h.dataDir);
  const now = Date.now();
  db.prepare('UPDATE jobs SET submit_started_at = ?, finished_at = ? WHERE id = ?').run(now - 30 * 60_000, now, id);
  db.close();

  // The user sends it again at once (confirmed); that one goes through.
  await h.engine.retry(id, { confirm: true });
  await waitForJob(h.engine, id, inState('succeeded'));

  let ahead = 0;
  const r = fixture.reconciler(h, { config: { settleMs: 10 * 60_000 }, clock: () => Date.now() + ahead });
  const early = await r.runOnce({ force: true });
  expect(early.pastAbsent).toEqual([]);
  expect(h.engine.costSummary(null).possibleUsd).toBeGreaterThan(0);

  // Once FAL lists it (the listing delay over, the settle time too), it is found and counted.
  h.fake.platform.set({ listingDelayMs: 0 });
  ahead = 11 * 60_000;
  const settled = await r.runOnce({ force: true });
  expect(settled.pastFound.map((f) => f.requestId)).toEqual([first]);
  expect(settled.pastAbsent).toEqual([]);
});

it('an earlier send kept before its latest send time was (migration 18) waits a settle time from the upgrade', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 17));
  const sentAt = Date.now() - 3600_000;
  db.prepare("INSERT INTO job_past_sends (job_id, sent_at, endpoint) VALUES ('j1', ?, 'e'), ('j2', ?, 'e')").run(sentAt, sentAt);
  db.prepare("UPDATE job_past_sends SET status = 'absent' WHERE job_id = 'j2'").run();
  const before = Date.now();
  migrate(db);
  const rows = db.prepare('SELECT job_id AS jobId, latest_sent_at AS latest FROM job_past_sends ORDER BY job_id').all() as { jobId: string; latest: number | null }[];
  expect(rows[0]!.latest).toBeGreaterThanOrEqual(before);
  expect(rows[1]!.latest).toBeNull();
  db.close();
});
