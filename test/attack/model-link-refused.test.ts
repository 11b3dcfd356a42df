// Attack: the model's download link is refused the way an expired or badly signed CDN link is - 400
// (Google Cloud Storage's ExpiredToken), 401 or 410 - once. A fresh link (the result fetched again)
// works. 403 and 404 were retried and fetched again; these failed the job at once, marked as FAL
// being done with the request: no Download again for a model FAL made, charged and still held.
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it.each([400, 401, 410])('a model link refused with HTTP %i once: the download is tried again and the job gets its model', async (status) => {
  h = await createHarness();
  h.fake.script({ op: 'file', when: (req) => req.targetUrl.includes('.glb'), fault: { kind: 'http', status, body: '<Error><Code>ExpiredToken</Code></Error>' } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect({ state: job.state, error: job.errorMessage }).toEqual({ state: 'succeeded', error: null });
  expect(h.fake.submissions).toHaveLength(1);
}, 30_000);
