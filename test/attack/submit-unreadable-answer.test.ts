// Attack on the FAL client's fetch over node:http (fal/node-fetch.ts): a submit reaches FAL (queued,
// charged) and the answer that comes back is one HTTP's parser will not read - a folded header line
// (obs-fold), two Content-Length lines, a header line past 16 KiB, a status past 599, a body labelled
// gzip that is not. The submit stays uncertain (needs attention, never sent again by itself), and
// the job says what happened: an answer came and could not be read. It said "The connection broke
// while sending this job", which is not what happened, with the parser's code as the only clue.
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

type Head = (status: number, headers: [string, string][]) => string;
const cases: [string, Head, RegExp][] = [
  ['a folded header line', (status, headers) => rawHead(`HTTP/1.1 ${status} OK`, [...headers, ['x-note', 'one\r\n two']]), /HPE_/],
  ['two Content-Length lines', (status, headers) => rawHead(`HTTP/1.1 ${status} OK`, [...headers, ['content-length', '5'], ['content-length', '6']]), /HPE_/],
  ['a 20 kB header line', (status, headers) => rawHead(`HTTP/1.1 ${status} OK`, [...headers, ['x-long', 'a'.repeat(20_000)]]), /HPE_HEADER_OVERFLOW/],
  ['status 999', (_status, headers) => rawHead('HTTP/1.1 999 Odd', headers), /999/],
  ['a body labelled gzip that is not', (status, headers) => rawHead(`HTTP/1.1 ${status} OK`, [...headers, ['content-encoding', 'gzip']]), /Z_DATA_ERROR/],
];

for (const [name, head, detail] of cases) {
  it(`a submit FAL queued, answered with ${name}: uncertain, saying the answer could not be read`, async () => {
    h = await createHarness({ start: false });
    const started = await startRawAnswerProxy(h.fake.url, ({ status, rawHeaders }) => head(status, passedHeaders(rawHeaders)));
    proxy = started;
    await h.reopen({ fetch: submitsThrough(h.fake.url, () => started) });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, settled);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a wrong resubmit
    expect(h.fake.submissions).toHaveLength(1);
    expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
    expect(job.errorMessage).toMatch(/sent an answer that could not be read/);
    expect(job.errorMessage).toMatch(detail);
    expect(job.errorMessage).not.toMatch(/connection broke/i);
    await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required' });
  });
}

it('a submit whose connection closes right after the answer head: uncertain, the connection broke', async () => {
  h = await createHarness({ start: false });
  const started = await startRawAnswerProxy(h.fake.url, ({ status, rawHeaders }) => rawHead(`HTTP/1.1 ${status} OK`, [...passedHeaders(rawHeaders), ['content-length', '5000']]));
  proxy = started;
  await h.reopen({ fetch: submitsThrough(h.fake.url, () => started) });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, settled);
  expect(h.fake.submissions).toHaveLength(1);
  expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_uncertain', falRequestId: null });
  expect(job.errorMessage).toMatch(/connection broke/i);
});
