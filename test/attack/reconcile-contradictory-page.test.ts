// Attack: FAL's request history answers a page that says there is more (`has_more: true`) but gives
// no cursor to read it (a proxy that drops the field, a platform bug). The client took the missing
// cursor as "that was the end", so the reconciler read one page, did not find the submit FAL had
// received, and after the settle time declared "FAL has no record" - safe to resubmit: a second charge.
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/core/db/open';
import { createPlatformClient } from '../../src/core/fal/platform-client';
import { JobStore } from '../../src/core/queue/store';
import { createReconciler, DEFAULT_RECONCILE_CONFIG, type Reconciler } from '../../src/core/reconcile/reconciler';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
let db: Db | undefined;
let reconciler: Reconciler | undefined;
afterEach(async () => {
  await reconciler?.stop();
  db?.close();
  await h?.close();
  h = db = reconciler = undefined;
});

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
  h = await createHarness();
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('needs_attention'));
  expect(h.fake.submissions).toHaveLength(1);

  db = openDatabase(h.dataDir);
  reconciler = createReconciler({
    jobs: new JobStore(db),
    now: Date.now,
    platform: () => createPlatformClient({ key: TEST_KEY, fetch: pageWithoutCursor(job.endpoint), retries: 0 }),
    config: () => ({ ...DEFAULT_RECONCILE_CONFIG, settleMs: 0 }),
    onJob: () => undefined,
    wake: () => undefined,
    logger: { info: () => undefined, warn: () => undefined },
  });
  const report = await reconciler.runOnce({ force: true });
  expect(report.absent).toEqual([]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
});
