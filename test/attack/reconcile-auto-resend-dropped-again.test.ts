// Attack: a photo whose send FAL's records ruled never received (needs attention, 'safe to send
// again') was dropped again, and that drop made a second job that FAL ran and charged. Turning on
// "resend what FAL never received" later resent the first job by itself: the same photo paid twice,
// with no question asked. Now a drop of the same photo takes the never-received job back (sent once
// more, the one charge), and a pass resends no job whose photo and settings another job has made or
// is making (one asked for anyway: Make again anyway, the CLI's --force).
import { expect, it } from 'vitest';
import type { Engine } from '../../src/core/engine';
import { inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();

type Photo = Awaited<ReturnType<typeof pngItem>>;

async function add(engine: Engine, photo: Photo, force = false) {
  const result = await engine.addImages([photo], { force });
  expect(result.rejected).toEqual([]);
  return result;
}

/** The photo's first job: its submit never reached FAL, and FAL's records then said so. */
async function ruledNeverReceived(h: Harness, photo: Photo, config: { autoResubmit: boolean }) {
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = (await add(h.engine, photo)).added[0]!.id;
  await waitForJob(h.engine, id, inState('needs_attention'));
  const reconciler = fixture.reconciler(h, { config });
  const first = await reconciler.runOnce({ force: true });
  expect(first.absent.map((a) => a.jobId)).toEqual([id]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
  return { id, reconciler };
}

it('the same photo dropped again takes the never-received job back: turning on resending later sends nothing more', async () => {
  const h = await fixture.harness();
  const photo = await pngItem();
  const config = { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400, autoResubmit: false };
  const { id, reconciler } = await ruledNeverReceived(h, photo, config);

  const again = await add(h.engine, photo);
  for (const job of again.added) await waitForJob(h.engine, job.id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(1);

  config.autoResubmit = true;
  const later = await reconciler.runOnce({ force: true });
  expect(later.resubmitted).toEqual([]);
  // The drop took the first job back (sent once more); no second job was made.
  expect(again.added.map((job) => job.id)).toEqual([id]);
  expect(again.joined).toEqual([expect.objectContaining({ jobId: id })]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded' });
  expect(h.engine.listJobs()).toHaveLength(1);
  expect(h.fake.submissions).toHaveLength(1);
});

it('a pass with resending on does not resend a job whose photo was made again anyway as another job', async () => {
  const h = await fixture.harness();
  const photo = await pngItem();
  const config = { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400, autoResubmit: false };
  const { id, reconciler } = await ruledNeverReceived(h, photo, config);

  // Make again anyway: a new job, sent and charged.
  const anyway = await add(h.engine, photo, true);
  const other = anyway.added.find((job) => job.id !== id)!;
  await waitForJob(h.engine, other.id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(1);

  config.autoResubmit = true;
  const later = await reconciler.runOnce({ force: true });
  expect(later.resubmitted).toEqual([]);
  const kept = h.engine.getJob(id)!;
  expect(kept).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
  expect(kept.message).toMatch(/not sent again by itself/i);
  expect(h.fake.submissions).toHaveLength(1);
  // Asked again on the next pass: the same answer, still not resent.
  expect((await reconciler.runOnce({ force: true })).resubmitted).toEqual([]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
});
