// A cancel that comes while the submit is on its way (FAL may have accepted it): the job needs
// attention ("may have been sent") rather than ending canceled, so FAL's records are asked. FAL had
// accepted it: the job takes up FAL's request and carries the cancel out there - FAL is told to stop it
// (a queued request is removed), or, finished already, the paid model is kept - never sent again.
import { expect, it, vi } from 'vitest';
import { addOne, inState, waitForJob, type Harness } from '../engine/harness';
import { useReconcileFixture } from './fixture';

const fixture = useReconcileFixture();
vi.setConfig({ testTimeout: 120_000 });

async function cancelWhileSending(h: Harness): Promise<string> {
  // FAL takes the submit, but its answer is held long enough for the cancel to come first.
  h.fake.script({ op: 'submit', fault: { kind: 'infra', status: 502, afterHandling: true }, delayMs: 3_000 });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, (job) => job.message === 'Sending the job to FAL');
  await h.engine.cancel(id);
  return id;
}

it.each([
  ['still running at FAL: FAL is told to stop it', true, 'canceled'],
  ['finished at FAL: its paid model is kept', false, 'succeeded'],
] as const)('a cancel during the submit, which FAL accepted, %s', async (_how, hold, end) => {
  const h = await fixture.harness({ fake: { holdJobs: hold, processingMs: 100 } });
  const id = await cancelWhileSending(h);
  const attention = await waitForJob(h.engine, id, inState('needs_attention', 'canceled'), 60_000);
  expect(attention).toMatchObject({ state: 'needs_attention', errorCode: 'cancel_uncertain', falRequestId: null });
  const requestId = h.fake.submissions[0]!.requestId;
  if (!hold) await h.fake.waitFor(requestId, 'COMPLETED');
  const report = await fixture.reconciler(h, { platform: { proxyUrl: h.fake.url, retries: 1, baseDelayMs: 1, timeoutMs: 60_000 }, config: { retryBaseMs: 100, retryMaxMs: 400 } }).runOnce();
  expect(report.adopted).toEqual([{ jobId: id, requestId }]);
  const ended = await waitForJob(h.engine, id, inState('canceled', 'succeeded', 'failed'), 60_000);
  expect(ended).toMatchObject({ state: end, falRequestId: requestId });
  if (hold) expect(h.fake.requestsFor('cancel').map((r) => r.requestId)).toEqual([requestId]);
  else expect(ended.modelId).not.toBeNull();
  expect(h.fake.submissions).toHaveLength(1);
});
