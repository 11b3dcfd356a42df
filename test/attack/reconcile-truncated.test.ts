// Attack: a busy account's request history is longer than the pages the client follows. The
// reconciler must not read "not in the pages I read" as "FAL never received it" - that verdict
// says resubmitting is safe, and here FAL did receive the submit (a second charge).
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
  h = await createHarness();
  h.fake.script({ op: 'submit', fault: { kind: 'reset', afterHandling: true } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('needs_attention'));
  expect(h.fake.submissions).toHaveLength(1);

  db = openDatabase(h.dataDir);
  reconciler = createReconciler({
    jobs: new JobStore(db),
    now: Date.now,
    platform: () => createPlatformClient({ key: TEST_KEY, fetch: endlessHistory(), retries: 0, maxPages: 3 }),
    config: () => ({ ...DEFAULT_RECONCILE_CONFIG, settleMs: 0 }),
    onJob: () => undefined,
    wake: () => undefined,
    logger: { info: () => undefined, warn: () => undefined },
  });
  const report = await reconciler.runOnce({ force: true });
  expect(report.absent).toEqual([]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain' });
});
