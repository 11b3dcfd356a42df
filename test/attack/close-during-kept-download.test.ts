// Attack on the download stretch: a job FAL has finished is fetching its model when the user cancels
// it. FAL answers ALREADY_COMPLETED, so the worker keeps the (paid) result and downloads it - with a
// signal nothing can abort. Quitting then (engine.close()) waited for that download however long it
// took (up to the download timeout, 5 minutes by default, per attempt): the app could not quit.
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('engine.close() does not wait for the model download of a job canceled after FAL finished it; the next run keeps the result', async () => {
  h = await createHarness({ engine: { timing: { downloadTimeoutMs: 60_000, downloadRetryMs: 60_000 } } });
  // The model file does not come (a stalled CDN) the first two times it is asked for.
  let modelRequests = 0;
  h.fake.script({
    op: 'file',
    times: 2,
    when: (ctx) => ctx.targetUrl.includes('.glb') && ++modelRequests > 0,
    fault: { kind: 'hang' },
  });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, () => modelRequests >= 1);
  void h.engine.cancel(id);
  // The cancel found FAL done: the worker fetches the result again to keep it.
  await waitForJob(h.engine, id, () => modelRequests >= 2);

  const closed = h.engine.close().then(() => 'closed' as const);
  const stillWaiting = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 20_000));
  expect(await Promise.race([closed, stillWaiting])).toBe('closed');

  // Started again, the job (still to be canceled, FAL done) keeps its model.
  await h.reopen();
  const job = await waitForJob(h.engine, id, inState('succeeded', 'canceled', 'failed', 'needs_attention'));
  expect(job.state).toBe('succeeded');
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);
