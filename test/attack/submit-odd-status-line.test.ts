// Attack on the FAL client's fetch over node:http (fal/node-fetch.ts): FAL (or a proxy in front of
// it) answers a submit "200" with a reason phrase holding a control character. HTTP's parser and the
// real fetch both take such an answer; nodeFetch handed the reason phrase to Response, which refuses
// it ("Invalid statusText"), so the request id in hand was dropped and the job that FAL had queued
// became uncertain (needs attention, "the connection broke") for nothing.
import { afterEach, expect, it } from 'vitest';
import type { Job } from '../../src/shared/domain';
import { addOne, createHarness, waitForJob, type Harness } from '../core/engine/harness';
import { passedHeaders, rawHead, startRawAnswerProxy, submitsThrough, type RawAnswerProxy } from '../support/raw-answer-proxy';

let h: Harness | undefined;
let proxy: RawAnswerProxy | undefined;
afterEach(async () => {
  await h?.close();
  await proxy?.close();
  h = undefined;
  proxy = undefined;
});

const settled = (job: Job) => ['succeeded', 'failed', 'needs_attention', 'canceled'].includes(job.state);

for (const [name, reason] of [
  ['a control character', 'O\x01K'],
  ['a NUL', 'O\x00K'],
  ['a DEL', 'O\x7fK'],
  ['an escape sequence', 'OK \x1b[31mred'],
] as const) {
  it(`a submit answered "200" with ${name} in its reason phrase is followed under FAL's request id`, async () => {
    h = await createHarness({ start: false });
    const started = await startRawAnswerProxy(h.fake.url, ({ status, rawHeaders }) => rawHead(`HTTP/1.1 ${status} ${reason}`, passedHeaders(rawHeaders)));
    proxy = started;
    await h.reopen({ fetch: submitsThrough(h.fake.url, () => started) });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, settled);
    expect(started.rewritten).toBe(1);
    expect(h.fake.submissions).toHaveLength(1);
    expect(job).toMatchObject({ state: 'succeeded', falRequestId: h.fake.submissions[0]!.requestId });
  });
}
