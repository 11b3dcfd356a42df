// Attack: the result GET answers 200 with JSON that holds no model (an empty object, a proxy's or a
// gateway's own JSON) once. The model was made and charged, and FAL still holds it: the job fails,
// but keeps Download again (free), which then fetches the model without a second submit. It was
// marked as FAL being done with the request: only a paid Generate again was left.
import { afterEach, expect, it } from 'vitest';
import { canDownloadAgain } from '../../src/shared/job-retry';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ENDED = inState('succeeded', 'failed', 'needs_attention', 'canceled');

it('a result answer with no model in it keeps Download again, which then gets the model for free', async () => {
  h = await createHarness();
  h.fake.script({ op: 'result', fault: { kind: 'http', status: 200, body: { detail: 'ok' } } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ENDED);
  expect(failed).toMatchObject({ state: 'failed', errorCode: 'unexpected_output' });
  expect(canDownloadAgain(failed)).toBe(true);
  await h.engine.retry(id, { mode: 'download' });
  const job = await waitForJob(h.engine, id, ENDED);
  expect(job.state).toBe('succeeded');
  expect(h.fake.submissions).toHaveLength(1);
}, 30_000);
