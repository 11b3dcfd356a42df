// Attack: FAL's request history (or a proxy in front of it) lists one row that fails its check (an
// unusable request id, a field of the wrong type) among good ones. The whole page used to fail, so
// every uncertain job waited - even one whose request was right there in a good row. Now the bad row
// is left out (logged once, in the app's own words: the row's text may carry anything, the key too),
// the rest of the page is used, and the bad row is never taken as proof that a request does not exist.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { addOne, inState, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
const HOSTILE_ID = `${TEST_KEY}/../../x\nforged`;

let warnings: string[] = [];
beforeEach(() => {
  warnings = [];
});
afterEach(() => {
  // Whatever was logged, never the key or the row's own text.
  expect(warnings.join('\n')).not.toContain(TEST_KEY);
  expect(warnings.join('\n')).not.toContain('forged');
});

/** A job whose submit FAL received (and queued) but whose answer was lost; or one that never reached FAL. */
async function uncertainJob(h: Harness, received: boolean): Promise<string> {
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: received } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  return id;
}

function reconcilerFor(h: Harness) {
  return fixture.reconciler(h, {
    platform: { retries: 0 },
    config: { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 },
    logger: { info: () => undefined, warn: (message) => warnings.push(message) },
  });
}

it('one bad row among good ones: the job in a good row is adopted, the other waits (never "not received"), the row is logged once', async () => {
  const h = await fixture.harness();
  // A good row of a job that ran normally, the uncertain job FAL received, and one it never did.
  const done = await addOne(h.engine);
  await waitForJob(h.engine, done, inState('succeeded'));
  const received = await uncertainJob(h, true);
  const lost = await uncertainJob(h, false);
  expect(h.fake.submissions).toHaveLength(2);
  const receivedRequest = h.fake.submissions[1]!.requestId;
  h.fake.setPlatform({
    extraHistoryRows: [{ request_id: HOSTILE_ID, endpoint_id: TRIPO, sent_at: new Date().toISOString(), json_input: { image_url: `https://x/${TEST_KEY}` } }],
  });

  const r = reconcilerFor(h);
  const report = await r.runOnce({ force: true });
  // The page used to fail as a whole: nothing adopted, both jobs waiting.
  expect(report.adopted).toEqual([{ jobId: received, requestId: receivedRequest }]);
  // Not among the rows that could be read, but perhaps the one that could not: it waits, with its reason.
  expect(report.absent).toEqual([]);
  expect(report.waiting).toEqual([{ jobId: lost, reason: 'unreadable_rows', nextCheckAt: expect.any(Number) }]);
  expect(h.engine.getJob(lost)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
  expect(h.engine.getJob(lost)!.errorMessage).toMatch(/could not read/);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/skipped a row of FAL's request history for tripo3d\/tripo\/v2\.5\/image-to-3d .*request_id/);

  // Listed on the next pass too: still no conclusion, and not logged again.
  const again = await r.runOnce({ force: true });
  expect(again.absent).toEqual([]);
  expect(again.waiting.map((w) => w.reason)).toEqual(['unreadable_rows']);
  expect(warnings).toHaveLength(1);

  // Once the history reads cleanly, the missing submit is settled as never received.
  h.fake.setPlatform({ extraHistoryRows: [] });
  const clean = await r.runOnce({ force: true });
  expect(clean.absent.map((a) => a.jobId)).toEqual([lost]);

  await waitForJob(h.engine, received, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(2);
});

it('a row of the wrong shape (not an object, a field of the wrong type) is skipped the same way', async () => {
  const h = await fixture.harness();
  const received = await uncertainJob(h, true);
  const lost = await uncertainJob(h, false);
  h.fake.setPlatform({ extraHistoryRows: [null, 'forged', { request_id: h.fake.submissions[0]!.requestId, endpoint_id: 42, duration: 'forged' }] });
  const report = await reconcilerFor(h).runOnce({ force: true });
  expect(report.adopted.map((a) => a.jobId)).toEqual([received]);
  expect(report.absent).toEqual([]);
  expect(report.waiting.map((w) => [w.jobId, w.reason])).toEqual([[lost, 'unreadable_rows']]);
  expect(warnings).toHaveLength(3);
  // A usable request id is named, the fields that failed too.
  expect(warnings[2]).toContain(h.fake.submissions[0]!.requestId);
  expect(warnings[2]).toMatch(/endpoint_id: invalid_type, duration: invalid_type/);
});
