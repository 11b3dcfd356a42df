// Attack: "Generate again" on a job whose FAL run failed sends the same input again - including the
// same uploaded image URL, which reconciliation takes as proof of identity. If that second submit's
// answer is lost and FAL has not listed it yet, the reconciler finds the FIRST (failed, already
// settled) request with an identical input and adopts it: the new request, if FAL received it, is
// charged and never followed.
import { expect, it } from 'vitest';
import { addOne, inState, waitForJob } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();

it('a resubmit whose answer was lost never adopts the job\'s own earlier request', async () => {
  const h = await fixture.harness();
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 422, detail: 'bad image' } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('failed'));
  const first = h.fake.submissions[0]!.requestId;

  // Generate again; this submit's answer is lost (FAL never got it, or has not listed it yet).
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  await h.engine.retry(id, { confirm: true });
  await waitForJob(h.engine, id, inState('needs_attention'));

  const reconciler = fixture.reconciler(h, { config: { settleMs: 60_000 } });
  const report = await reconciler.runOnce({ force: true });
  expect(report.adopted.map((a) => a.requestId)).not.toContain(first);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', falRequestId: null });
});
