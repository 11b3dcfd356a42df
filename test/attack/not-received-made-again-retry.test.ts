// Attack: with resending off, a job whose send FAL's records ruled never received said "Sending it
// again is safe" and Retry sent it with no question asked - also when the same photo with the same
// settings had been made again as another job (Make again anyway, the CLI's --force), so the one
// photo was paid for twice. Now its words say so, and Retry asks first.
import { expect, it } from 'vitest';
import type { Engine } from '../../src/core/engine';
import { inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();
const config = { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400, autoResubmit: false };

type Photo = Awaited<ReturnType<typeof pngItem>>;

async function add(engine: Engine, photo: Photo, force = false) {
  const result = await engine.addImages([photo], { force });
  expect(result.rejected).toEqual([]);
  return result;
}

/** The photo's first job: its submit never reached FAL (its answer lost). */
async function lostSend(h: Harness, photo: Photo): Promise<string> {
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = (await add(h.engine, photo)).added[0]!.id;
  await waitForJob(h.engine, id, inState('needs_attention'));
  return id;
}

/** Make again anyway: a second job for the same photo and settings, sent and charged. */
async function madeAnyway(h: Harness, photo: Photo, firstId: string): Promise<void> {
  const other = (await add(h.engine, photo, true)).added.find((job) => job.id !== firstId)!;
  await waitForJob(h.engine, other.id, inState('succeeded'));
}

async function expectAsksBeforeRetry(h: Harness, id: string): Promise<void> {
  const job = h.engine.getJob(id)!;
  expect(job).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
  expect(job.message).not.toMatch(/safe/i);
  expect(job.errorMessage).toMatch(/second model/);
  await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required', message: expect.stringMatching(/second model/) });
  expect(h.fake.submissions).toHaveLength(1);
  // Confirmed: sent.
  await h.engine.retry(id, { confirm: true });
  await waitForJob(h.engine, id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(2);
}

it('made again anyway after FAL\'s records ruled the send never received: no longer "safe", and Retry asks first', async () => {
  const h = await fixture.harness();
  const photo = await pngItem();
  const id = await lostSend(h, photo);
  const first = await fixture.reconciler(h, { config }).runOnce({ force: true });
  expect(first.absent.map((a) => a.jobId)).toEqual([id]);
  expect(h.engine.getJob(id)!.message).toMatch(/safe/);

  await madeAnyway(h, photo, id);
  await expectAsksBeforeRetry(h, id);
});

it('made again anyway before FAL\'s records were asked: the ruling does not call a resend safe, and Retry asks first', async () => {
  const h = await fixture.harness();
  const photo = await pngItem();
  const id = await lostSend(h, photo);
  await madeAnyway(h, photo, id);

  const ruled = await fixture.reconciler(h, { config }).runOnce({ force: true });
  expect(ruled.absent.map((a) => a.jobId)).toEqual([id]);
  await expectAsksBeforeRetry(h, id);
});

it('a never-received job with no twin still retries without a question (nothing else made it)', async () => {
  const h = await fixture.harness();
  const photo = await pngItem();
  const id = await lostSend(h, photo);
  await fixture.reconciler(h, { config }).runOnce({ force: true });
  expect(h.engine.getJob(id)!.message).toMatch(/Sending it again is safe/);
  await h.engine.retry(id, {});
  await waitForJob(h.engine, id, inState('succeeded'));
  expect(h.fake.submissions).toHaveLength(1);
});
