// Attack: FAL sits behind a CDN/gateway, and a gateway answers 5xx statuses of its own after the
// origin took the request (Cloudflare's 520 "unknown error", 522/524 "timeout", 507, 530...). Only
// 500/502/503/504 were treated as "may have been queued"; any other 5xx counted as a definite refusal,
// so the submit intent was cleared and the job failed retryable - a second charge on Retry. The money
// rule: once the POST left, FAL's request id is stored or the job is uncertain (needs_attention).
import { afterEach, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { addOne, createHarness, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Passes every call through; the first submit reaches FAL (queued) and its answer becomes `status`. */
function gatewayAnswersFirstSubmit(status: number): typeof fetch {
  let replaced = false;
  return async (input, init) => {
    const response = await fetch(input, init);
    const target = new Headers(init?.headers).get('x-fal-target-url') ?? String(input instanceof Request ? input.url : input);
    const isSubmit = (init?.method ?? 'GET').toUpperCase() === 'POST' && /^https:\/\/queue\.fal\.run\/[^?]*$/.test(target) && !target.includes('/requests/');
    if (!isSubmit || replaced) return response;
    replaced = true;
    await response.arrayBuffer();
    return new Response('<html><body>error code: ' + status + '</body></html>', { status, headers: { 'content-type': 'text/html' } });
  };
}

const settled = (job: Job) => ['succeeded', 'failed', 'needs_attention', 'canceled'].includes(job.state);

for (const status of [520, 522, 524, 530]) {
  it(`a submit FAL queued but a gateway answered HTTP ${status} is uncertain, never failed-and-retryable`, async () => {
    h = await createHarness({ engine: { fetch: gatewayAnswersFirstSubmit(status) } });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, settled);
    expect(h.fake.submissions).toHaveLength(1);
    // Uncertain (the reconciler may adopt it), not a plain failure that Retry would send again.
    expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
  });
}
