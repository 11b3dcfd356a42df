// Attack on the kept answer (engine/stored-result.ts) and cancels: a job canceled while its model
// downloaded (FAL had finished it) is paused by quitting - "the finished result is fetched next time".
// Next time FAL has forgotten the request: the cancel asked FAL, got 404 and ended the job "Canceled",
// the paid model dropped although its kept answer (and link) still had it.
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('a cancel carried out after FAL forgot a finished request keeps the model from its kept answer', async () => {
  h = await createHarness({ engine: { timing: { downloadTimeoutMs: 60_000, downloadRetryMs: 60_000 } } });
  let modelRequests = 0;
  h.fake.script({ op: 'file', times: 2, when: (ctx) => ctx.targetUrl.includes('.glb') && ++modelRequests > 0, fault: { kind: 'hang' } });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, () => modelRequests >= 1);
  void h.engine.cancel(id);
  await waitForJob(h.engine, id, () => modelRequests >= 2);
  const requestId = h.engine.getJob(id)!.falRequestId!;
  await h.engine.close();

  // FAL forgets the request while the app is closed; the model's link still works.
  expect(h.fake.forget(requestId)).toBe(true);
  await h.reopen();
  const job = await waitForJob(h.engine, id, inState('succeeded', 'canceled', 'failed', 'needs_attention'), 20_000);
  expect(job.state).toBe('succeeded');
  expect(h.engine.library.get(job.modelId!)).not.toBeNull();
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);
