// Attack: FAL (or a proxy/gateway in between) queues the submit, then the answer that reaches us is
// a 2xx we cannot read (HTML, empty JSON, no request id). The submit has left and FAL has it, so
// the money rule applies: the job has FAL's request id or is uncertain (needs_attention) - it must
// never be sent again by itself, nor end failed-and-freely-retryable.
import { afterEach, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { addOne, createHarness, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Passes every call through; the first submit's answer is replaced by `body` after FAL queued it. */
function garbleFirstSubmit(body: string, contentType: string): typeof fetch {
  let garbled = false;
  return async (input, init) => {
    const response = await fetch(input, init);
    const target = new Headers(init?.headers).get('x-fal-target-url') ?? String(input instanceof Request ? input.url : input);
    const isSubmit = (init?.method ?? 'GET').toUpperCase() === 'POST' && /^https:\/\/queue\.fal\.run\/[^?]*$/.test(target) && !target.includes('/requests/');
    if (!isSubmit || garbled) return response;
    garbled = true;
    await response.arrayBuffer();
    return new Response(body, { status: 200, headers: { 'content-type': contentType } });
  };
}

const settled = (job: Job) => job.state === 'succeeded' || job.state === 'failed' || job.state === 'needs_attention' || job.state === 'canceled';

for (const [name, body, type] of [
  ['an HTML page', '<html><body>Bad gateway</body></html>', 'text/html'],
  ['JSON without a request id', '{"status":"IN_QUEUE"}', 'application/json'],
  ['JSON that is cut off', '{"request_id":"', 'application/json'],
  // Ids no request can have: stored, they were followed into a 404 and the job failed while FAL ran
  // (and charged) the real request, which nothing looked for any more.
  ['a number for the request id', '{"request_id":12345}', 'application/json'],
  ['an empty request id', '{"request_id":""}', 'application/json'],
  ['a request id that is a path', '{"request_id":"../../../x?y=1#z"}', 'application/json'],
  ['a request id with a line break', '{"request_id":"abc\\ndef"}', 'application/json'],
  ['a 20 kB request id', `{"request_id":"${'a'.repeat(20_000)}"}`, 'application/json'],
] as const) {
  it(`a submit FAL queued but answered with ${name} is never sent again by itself`, async () => {
    h = await createHarness({ engine: { fetch: garbleFirstSubmit(body, type) } });
    const id = await addOne(h.engine);
    await waitForJob(h.engine, id, settled);
    // Give a wrongly retrying queue time to send it again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(h.fake.submissions).toHaveLength(1);
    // No request id could be read, so the job is uncertain (the reconciler can adopt it).
    expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
  });
}
