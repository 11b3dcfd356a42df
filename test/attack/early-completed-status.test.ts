// Attack: FAL's status says COMPLETED before the result exists (an out-of-order answer: a stale
// replica or cache), and the result GET then answers 400 "Request is still in progress", as FAL does
// for a running request. The model is still being made and will be charged: the job must keep
// following its request id and end with the model, not fail as if the generation had failed (no
// Download again, only a paid Generate again). The same when the result GET answers the job's status
// (202 IN_PROGRESS) where its output should be.
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('a COMPLETED status before the result exists: the job keeps following its request and gets the model', async () => {
  h = await createHarness({ fake: { holdJobs: true }, engine: { useStatusStream: false } });
  // The first status answer claims COMPLETED while the job still runs at FAL.
  h.fake.script({ op: 'status', fault: { kind: 'http', status: 200, body: { status: 'COMPLETED', logs: [] } } });
  const id = await addOne(h.engine);
  // The engine fetched the result early (answered 400, still in progress); FAL then finishes the job.
  const early = await waitUntil(() => h!.fake.requestsFor('result').some((r) => r.outcome === 400));
  expect(early).toBe(true);
  expect(h.fake.completeNow(h.fake.submissions[0]!.requestId)).toBe(true);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect({ state: job.state, error: job.errorMessage }).toEqual({ state: 'succeeded', error: null });
  expect(job.falRequestId).toBe(h.fake.submissions[0]!.requestId);
  expect(h.fake.submissions).toHaveLength(1);
}, 30_000);

it('a result answered with the job\'s status (202 IN_PROGRESS) instead of its output: the job follows it again and gets the model', async () => {
  h = await createHarness({ engine: { useStatusStream: false } });
  h.fake.script({ op: 'result', fault: { kind: 'http', status: 202, body: { status: 'IN_PROGRESS', logs: [] } } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect({ state: job.state, error: job.errorMessage }).toEqual({ state: 'succeeded', error: null });
  expect(h.fake.requestsFor('result').length).toBeGreaterThanOrEqual(2);
  expect(h.fake.submissions).toHaveLength(1);
}, 30_000);

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
