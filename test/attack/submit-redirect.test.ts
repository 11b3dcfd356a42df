// Attack on the FAL client's fetch over node:http (fal/node-fetch.ts): it follows no redirect for a
// POST (so a submit is never sent twice), and hands the 3xx answer over as it is. A proxy in front of
// FAL may answer "303 See Other" after FAL queued the job; the 3xx was classified like a definite
// refusal, so the submit intent was cleared and the job failed retryable - a second charge on Retry.
// (Node's fetch followed the redirect instead, so no 3xx ever reached the classification before.)
import { afterEach, expect, it } from 'vitest';
import { nodeFetch } from '../../src/core/fal/node-fetch';
import type { Job } from '../../src/shared/domain';
import { addOne, createHarness, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Passes every call through nodeFetch; the first submit reaches FAL (queued) and its answer becomes a redirect. */
function proxyRedirectsFirstSubmit(status: number): typeof fetch {
  let replaced = false;
  return async (input, init) => {
    const response = await nodeFetch(input, init);
    const target = new Headers(init?.headers).get('x-fal-target-url') ?? String(input instanceof Request ? input.url : input);
    const isSubmit = (init?.method ?? 'GET').toUpperCase() === 'POST' && /^https:\/\/queue\.fal\.run\/[^?]*$/.test(target) && !target.includes('/requests/');
    if (!isSubmit || replaced) return response;
    replaced = true;
    await response.arrayBuffer();
    return new Response(null, { status, headers: { location: 'https://proxy.example/requests/elsewhere' } });
  };
}

const settled = (job: Job) => ['succeeded', 'failed', 'needs_attention', 'canceled'].includes(job.state);

for (const status of [303, 307]) {
  it(`a submit answered HTTP ${status} (a redirect, not followed) is uncertain, never failed-and-retryable`, async () => {
    h = await createHarness({ engine: { fetch: proxyRedirectsFirstSubmit(status) } });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, settled);
    expect(h.fake.submissions).toHaveLength(1);
    expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
  });
}
