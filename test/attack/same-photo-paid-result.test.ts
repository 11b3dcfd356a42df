// Attack: FAL made (and charged) a photo's model, but it could not be fetched (the link kept failing,
// the disk refused it, a cancel came after FAL finished): the job failed with a free Download again.
// Dropping the same photo again - or `convert` run again - made a new job and paid FAL a second time,
// without a word. It now joins that job and fetches the paid result again (free, as Download again);
// --force still makes a new, paid job.
import { afterEach, expect, it } from 'vitest';
import { createHarness, inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A photo whose model FAL made but whose download kept failing: its job offers Download again. */
async function paidNotFetched(harness: Harness): Promise<{ item: Awaited<ReturnType<typeof pngItem>>; id: string }> {
  harness.fake.script({ op: 'file', fault: { kind: 'expired' }, times: Infinity });
  const item = await pngItem('chair.png');
  const id = (await harness.engine.addImages([item], {})).added[0]!.id;
  const failed = await waitForJob(harness.engine, id, inState('failed', 'succeeded', 'needs_attention'));
  expect(failed).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
  expect(failed.falRequestId).not.toBeNull();
  harness.fake.clearScript();
  return { item, id };
}

it('the same photo added again joins the job whose paid result FAL holds and fetches it, with no second submit', async () => {
  h = await createHarness();
  const { item, id } = await paidNotFetched(h);
  const again = await h.engine.addImages([{ ...item, name: 'chair-again.png' }], {});
  expect(again.joined).toEqual([{ input: 'chair-again.png', jobId: id, item: 0 }]);
  expect(again.added.map((job) => job.id)).toEqual([id]);
  const done = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
  expect(done.state).toBe('succeeded');
  expect(h.fake.submissions).toHaveLength(1);
});

it('--force still makes a new job, paid again', async () => {
  h = await createHarness();
  const { item, id } = await paidNotFetched(h);
  const again = await h.engine.addImages([item], { force: true });
  expect(again.joined ?? []).toEqual([]);
  const other = again.added[0]!.id;
  expect(other).not.toBe(id);
  await waitForJob(h.engine, other, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(2);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'failed' });
});
