// Attack: a busy account's request history is longer than the pages the client follows. The
// reconciler must not read "not in the pages I read" as "FAL never received it" - that verdict
// says resubmitting is safe, and here FAL did receive the submit (a second charge).
import { expect, it } from 'vitest';
import { addOne, inState, waitForJob } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();

/** FAL's history endpoint for a busy account: every page full of other people's... other uploads' rows, always "more". */
function endlessHistory(): typeof fetch {
  let page = 0;
  return async () => {
    page++;
    const items = Array.from({ length: 100 }, (_, i) => ({
      request_id: `other-${page}-${i}`,
      endpoint_id: 'x',
      sent_at: new Date().toISOString(),
      json_input: { image_url: `https://v3.fal.media/files/other-${page}-${i}.png` },
    }));
    return new Response(JSON.stringify({ items, next_cursor: `c${page}`, has_more: true }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

it('a history cut off by the page limit is no proof of absence: the received submit stays uncertain', async () => {
  const h = await fixture.harness();
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  expect(h.fake.submissions).toHaveLength(1);

  const reconciler = fixture.reconciler(h, { platform: { proxyUrl: undefined, fetch: endlessHistory(), maxPages: 3 }, config: { settleMs: 0 } });
  const report = await reconciler.runOnce({ force: true });
  expect(report.absent).toEqual([]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
});
