// Attack (status answers out of order): FAL accepts the submit and gives its request id, but the first
// status question reaches a part of FAL (or a proxy's cache) that does not know the request yet and
// answers 404. The job was failed at once as "FAL no longer knows this job", FAL done with it (no
// Download again, only a paid Generate again), while FAL ran and charged the real request. A request
// sent moments ago is asked about again; one FAL has long known and now denies still fails as before.
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NOT_FOUND = { kind: 'http', status: 404, body: { detail: 'Request not found' } } as const;

it('a 404 on the first status question right after the submit: the job asks again and gets the model', async () => {
  h = await createHarness({ engine: { useStatusStream: false, timing: { newRequestGraceMs: 60_000 } } });
  h.fake.script({ op: 'status', fault: NOT_FOUND });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect({ state: job.state, error: job.errorMessage }).toEqual({ state: 'succeeded', error: null });
  expect(h.fake.submissions).toHaveLength(1);
  expect(h.fake.requestsFor('status').some((r) => r.outcome === 404)).toBe(true);
}, 30_000);

it('a request FAL really forgot still fails once the grace is over (no endless asking)', async () => {
  h = await createHarness({ engine: { useStatusStream: false, timing: { newRequestGraceMs: 0 } } });
  h.fake.script({ op: 'submit', outcome: { kind: 'forgotten' } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job).toMatchObject({ state: 'failed', errorCode: 'request_not_found', requestFinished: true });
}, 30_000);
