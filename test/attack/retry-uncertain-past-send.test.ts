// Attack: the user retries an uncertain job (its submit's answer was lost) and confirms. The job goes
// back to the queue without its earlier send time, so that send - which FAL may have run and charged -
// dropped out of the spending cap and out of reconciliation for good. It is kept as a past send of the
// job (job_past_sends): it counts against the cap until FAL's records settle it, and the reconciler
// keeps looking for it - found: counted as spend once (never followed, never taken for the job's
// resend); absent after the settle time: nothing.
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { addOne, inState, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';
import type { RequestRow } from '../../src/core/fal/platform-client';
import { rowsFor } from '../../src/core/reconcile/candidates';
import { createDispatcher } from '../../src/core/ipc/dispatch';
import type { Handlers } from '../../src/shared/contract';

const fixture = useReconcileFixture();

/** Spend rows of the job, by request. */
function spendOf(h: Harness, jobId: string): { requestId: string | null; usd: number }[] {
  const db = openDatabase(h.dataDir);
  try {
    return db.prepare('SELECT request_id AS requestId, usd FROM spend WHERE job_id = ? ORDER BY id').all(jobId) as { requestId: string | null; usd: number }[];
  } finally {
    db.close();
  }
}

it('an earlier send FAL received is found after the confirmed Retry, counted once, and not taken for the resend', async () => {
  const h = await fixture.harness();
  // FAL receives the first submit, but its answer is lost.
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  const first = h.fake.submissions[0]!.requestId;
  const possible = h.engine.costSummary(null).possibleUsd;
  expect(possible).toBeGreaterThan(0);

  await h.engine.retry(id, { confirm: true });
  const done = await waitForJob(h.engine, id, inState('succeeded'));
  const second = done.falRequestId!;
  expect(second).not.toBe(first);
  // The first send may have been charged: it still counts, beside the resend's spend.
  expect(h.engine.costSummary(null).possibleUsd).toBeCloseTo(possible);

  const reconciler = fixture.reconciler(h, { config: { settleMs: 0 } });
  const report = await reconciler.runOnce({ force: true });
  expect(report.pastFound).toEqual([{ jobId: id, sentAt: expect.any(Number), requestId: first, usd: expect.any(Number), message: expect.stringContaining("was found in FAL's records") }]);
  expect(report.adopted).toEqual([]);
  // Settled as received: the first request is spend, once; nothing is "possible" any more; the job follows its resend.
  expect(h.engine.costSummary(null).possibleUsd).toBe(0);
  expect(spendOf(h, id).map((s) => s.requestId).sort()).toEqual([first, second].sort());
  expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded', falRequestId: second });

  const again = await reconciler.runOnce({ force: true });
  expect(again.pastFound).toEqual([]);
  expect(spendOf(h, id)).toHaveLength(2);
});

it('an earlier send FAL never received settles as absent after the settle time - the resend\'s request is not taken for it', async () => {
  const h = await fixture.harness();
  // The first submit never reaches FAL (reset before it is handled).
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  await h.engine.retry(id, { confirm: true });
  const done = await waitForJob(h.engine, id, inState('succeeded'));
  expect(h.engine.costSummary(null).possibleUsd).toBeGreaterThan(0);

  // Before the settle time: no conclusion, it keeps counting.
  let later = 0;
  const reconciler = fixture.reconciler(h, { config: { settleMs: 60 * 60_000 }, clock: () => Date.now() + later });
  const waiting = await reconciler.runOnce({ force: true });
  expect(waiting.pastFound).toEqual([]);
  expect(waiting.pastAbsent).toEqual([]);
  expect(h.engine.costSummary(null).possibleUsd).toBeGreaterThan(0);

  later = 2 * 60 * 60_000;
  const report = await reconciler.runOnce({ force: true });
  // The resend's request (same input) is the job's own: the earlier send is not it.
  expect(report.pastFound).toEqual([]);
  expect(report.pastAbsent).toEqual([{ jobId: id, sentAt: expect.any(Number), message: expect.stringContaining('was never received by FAL') }]);
  expect(h.engine.costSummary(null).possibleUsd).toBe(0);
  expect(spendOf(h, id).map((s) => s.requestId)).toEqual([done.falRequestId]);
});

it('both sends uncertain: each is settled as its own - the resend adopts its request, the earlier send FAL never had is absent', async () => {
  const h = await fixture.harness();
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  await h.engine.retry(id, { confirm: true });
  await waitForJob(h.engine, id, inState('needs_attention'));
  const resend = h.fake.submissions[0]!.requestId;
  const one = h.engine.costSummary(null).possibleUsd;

  const report = await fixture.reconciler(h, { config: { settleMs: 0 } }).runOnce({ force: true });
  expect(report.adopted).toEqual([{ jobId: id, requestId: resend }]);
  expect(report.pastFound).toEqual([]);
  expect(report.pastAbsent).toEqual([{ jobId: id, sentAt: expect.any(Number), message: expect.stringContaining('was never received by FAL') }]);
  expect(h.engine.costSummary(null).possibleUsd).toBe(0);
  expect(one).toBeGreaterThan(0);
});

it('a past send is never matched to a row FAL received nearer another unsettled send of the same job (same input)', () => {
  const at = (ms: number) => new Date(ms).toISOString();
  const row = (id: string, sentAt: string | null) => ({ request_id: id, endpoint_id: 'e', sent_at: sentAt, json_input: {} }) as unknown as RequestRow;
  const rows = [row('near-past', at(2_000)), row('near-resend', at(59_000)), row('no-time', null)];
  // The past send left at 1 s, the job's resend (answer lost too, not settled) at 60 s.
  expect(rowsFor(1_000, [60_000], rows).map((r) => r.request_id)).toEqual(['near-past', 'no-time']);
  expect(rowsFor(1_000, [], rows)).toHaveLength(3);
});

it("the app's reconcile report (reconcile:run, through the IPC contract) keeps what was found of earlier sends, in plain words", async () => {
  const h = await fixture.harness();
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  const first = h.fake.submissions[0]!.requestId;
  await h.engine.retry(id, { confirm: true });
  const done = await waitForJob(h.engine, id, inState('succeeded'));

  const reconciler = fixture.reconciler(h, { config: { settleMs: 0 } });
  // The handler the app registers for reconcile:run, behind the same dispatcher (its reply is checked against the contract).
  const dispatch = createDispatcher({ 'reconcile:run': async () => reconciler.runOnce({ force: true }) } as unknown as Handlers);
  const reply = await dispatch('reconcile:run', undefined);
  expect(reply.ok).toBe(true);
  const report = (reply as { data: { pastFound: { requestId: string; usd: number | null; message: string }[]; pastAbsent: unknown[] } }).data;
  expect(report.pastFound).toHaveLength(1);
  expect(report.pastFound[0]).toMatchObject({ requestId: first, usd: done.estimatedCostUsd });
  expect(report.pastFound[0]!.message).toMatch(
    new RegExp(`^An earlier send of "${done.inputName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" \\(sent [^)]+\\) was found in FAL's records \\(request ${first}\\): counted as \\$${done.estimatedCostUsd!.toFixed(2).replace('.', '\\.')} of spend\\.$`),
  );
  expect(report.pastAbsent).toEqual([]);
});
