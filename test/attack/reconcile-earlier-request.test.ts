// Attack: "Generate again" on a job whose FAL run failed sends the same input again - including the
// same uploaded image URL, which reconciliation takes as proof of identity. If that second submit's
// answer is lost and FAL has not listed it yet, the reconciler finds the FIRST (failed, already
// settled) request with an identical input and adopts it: the new request, if FAL received it, is
// charged and never followed.
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

it('a resubmit whose answer was lost never adopts the job\'s own earlier request', async () => {
  h = await createHarness();
  h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 422, detail: 'bad image' } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, inState('failed'));
  const first = h.fake.submissions[0]!.requestId;

  // Generate again; this submit's answer is lost (FAL never got it, or has not listed it yet).
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  await h.engine.retry(id, { confirm: true });
  await waitForJob(h.engine, id, inState('needs_attention'));

  db = openDatabase(h.dataDir);
  reconciler = createReconciler({
    jobs: new JobStore(db),
    now: Date.now,
    platform: () => createPlatformClient({ key: TEST_KEY, proxyUrl: h!.fake.url, retries: 0 }),
    config: () => ({ ...DEFAULT_RECONCILE_CONFIG, settleMs: 60_000 }),
    onJob: () => undefined,
    wake: () => undefined,
    logger: { info: () => undefined, warn: () => undefined },
  });
  const report = await reconciler.runOnce({ force: true });
  expect(report.adopted.map((a) => a.requestId)).not.toContain(first);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', falRequestId: null });
});
