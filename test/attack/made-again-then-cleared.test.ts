// Attack: a never-received job whose photo was made again anyway (Make again anyway, --force) asks
// before Retry and is not resent by itself - but only while the other job is listed. "Clear finished"
// (or removing that job) took the twin away: Retry sent it with no question and a pass with resending
// on resent it by itself, paying for a second model of a photo whose model is in the library.
import { expect, it } from 'vitest';
import type { Engine } from '../../src/core/engine';
import { inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();
const base = { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 };

type Photo = Awaited<ReturnType<typeof pngItem>>;

async function add(engine: Engine, photo: Photo, force = false) {
  const result = await engine.addImages([photo], { force });
  expect(result.rejected).toEqual([]);
  return result;
}

/** Never received (FAL's records say so), then made again anyway as another job that succeeded and was cleared. */
async function madeAgainAndCleared(h: Harness, photo: Photo, config: typeof base & { autoResubmit: boolean }) {
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = (await add(h.engine, photo)).added[0]!.id;
  await waitForJob(h.engine, id, inState('needs_attention'));
  const reconciler = fixture.reconciler(h, { config });
  expect((await reconciler.runOnce({ force: true })).absent.map((a) => a.jobId)).toEqual([id]);
  const other = (await add(h.engine, photo, true)).added.find((job) => job.id !== id)!;
  await waitForJob(h.engine, other.id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(1);
  expect(h.engine.clearFinished()).toBe(1);
  expect(h.engine.listJobs().map((job) => job.id)).toEqual([id]);
  return { id, reconciler };
}

it('Retry asks first once the job that made the photo again was cleared (its model is in the library)', async () => {
  const h = await fixture.harness();
  const photo = await pngItem();
  const { id } = await madeAgainAndCleared(h, photo, { ...base, autoResubmit: false });
  await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required', message: expect.stringMatching(/second model/) });
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
  expect(h.fake.submissions).toHaveLength(1);
});

it('a pass with resending on does not resend it once the other job was cleared', async () => {
  const h = await fixture.harness();
  const photo = await pngItem();
  const config = { ...base, autoResubmit: false };
  const { id, reconciler } = await madeAgainAndCleared(h, photo, config);
  config.autoResubmit = true;
  expect((await reconciler.runOnce({ force: true })).resubmitted).toEqual([]);
  const kept = h.engine.getJob(id)!;
  expect(kept).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
  expect(kept.message).toMatch(/not sent again by itself/i);
  expect(h.fake.submissions).toHaveLength(1);
});
