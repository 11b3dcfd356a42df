// Attack: FAL's request history answers a page that says there is more (`has_more: true`) but gives
// no cursor to read it (a proxy that drops the field, a platform bug). The client took the missing
// cursor as "that was the end", so the reconciler read one page, did not find the submit FAL had
// received, and after the settle time declared "FAL has no record" - safe to resubmit: a second charge.
import { expect, it } from 'vitest';
import { addOne, inState, waitForJob } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();

/** One page of other uploads' rows that says more follow, with no way to read them. */
function pageWithoutCursor(endpointId: string): typeof fetch {
  return async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({
      request_id: `other-${i}`,
      endpoint_id: endpointId,
      sent_at: new Date().toISOString(),
      json_input: { image_url: `https://v3.fal.media/files/other-${i}.png` },
    }));
    return new Response(JSON.stringify({ items, next_cursor: null, has_more: true }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

it('a page that says "more" without a cursor is no proof of absence: the received submit stays uncertain', async () => {
  const h = await fixture.harness();
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('needs_attention'));
  expect(h.fake.submissions).toHaveLength(1);

  const reconciler = fixture.reconciler(h, { platform: { proxyUrl: undefined, fetch: pageWithoutCursor(job.endpoint) }, config: { settleMs: 0 } });
  const report = await reconciler.runOnce({ force: true });
  expect(report.absent).toEqual([]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
});
