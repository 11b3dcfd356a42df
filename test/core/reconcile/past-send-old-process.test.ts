// Migration 18 gave each kept earlier send (job_past_sends) the latest time it can have left, and FAL's
// listing delay counts from there. A process of a build from before it - still running when a newer one
// upgraded the database (the CLI in a terminal, an app not yet restarted) - keeps sends with that column
// empty. Read as "the arm's time", such a send after a power cut was settled long ago on paper: the newer
// process's first check - FAL not listing the fresh request yet - concluded "never received" and took a
// charge FAL then made off the spend and the cap. Such a row now waits a settle time from when a newer
// process first sees it, as rows kept before the upgrade do.
import { expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { addOne, inState, waitForJob } from '../engine/harness';
import { useReconcileFixture } from './fixture';

const fixture = useReconcileFixture();
// FAL lists nothing until the test says so (set to 0 below): how long the steps before the first check
// take (seconds on a loaded machine) must not decide whether FAL already lists the first send.
const NOT_LISTED_YET_MS = 24 * 3600_000;

it('an earlier send kept by an older process after the upgrade (no latest send time) is not taken for "never received" before FAL could list it', async () => {
  const h = await fixture.harness({ fake: { platform: { listingDelayMs: NOT_LISTED_YET_MS } } });
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  const first = h.fake.submissions[0]!.requestId;
  const db = openDatabase(h.dataDir);
  const now = Date.now();
  // After a power cut: the send time is the arm's, half an hour before the POST; found so just now.
  db.prepare('UPDATE jobs SET submit_started_at = ?, finished_at = ? WHERE id = ?').run(now - 30 * 60_000, now, id);
  db.close();
  await h.engine.retry(id, { confirm: true });
  await waitForJob(h.engine, id, inState('succeeded'));
  // The Retry was a process of the build before migration 18: it kept the send without the column.
  const old = openDatabase(h.dataDir);
  expect(old.prepare("UPDATE job_past_sends SET latest_sent_at = NULL WHERE job_id = ? AND status = 'uncertain'").run(id).changes).toBe(1);
  old.close();

  let ahead = 0;
  const r = fixture.reconciler(h, { config: { settleMs: 10 * 60_000 }, clock: () => Date.now() + ahead });
  const early = await r.runOnce({ force: true });
  expect(early.pastAbsent).toEqual([]);
  expect(h.engine.costSummary(null).possibleUsd).toBeGreaterThan(0);

  h.fake.platform.set({ listingDelayMs: 0 });
  ahead = 11 * 60_000;
  const settled = await r.runOnce({ force: true });
  expect(settled.pastFound.map((f) => f.requestId)).toEqual([first]);
  expect(settled.pastAbsent).toEqual([]);
});
