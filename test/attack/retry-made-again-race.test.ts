// Attack: Retry of a job nothing of which was charged (FAL's records showed it never received, or it
// failed before it was sent) and a pass that resends what FAL never received looked for a twin - the
// same photo and settings made by another job - and then wrote the job back to the queue. Another
// process (the CLI's --force, the app's Make again anyway) could make that twin between the look and
// the write: both were sent, the photo paid twice with no question. And Retry of a job that failed
// before it was sent never looked: the same photo dropped again meanwhile had made the model, and
// Retry paid for a second one. The look is now also made in the write's own transaction, and Retry
// of any job nothing was charged for asks when the photo was made again.
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../src/core/db/open';
import { JobInputStore, singleInputOf } from '../../src/core/engine/job-inputs';
import { JobStore, type JobRow } from '../../src/core/queue/store';
import { createHarness, inState, pngItem, waitForJob, type Harness } from '../core/engine/harness';
import { useReconcileFixture } from '../core/reconcile/fixture';

const fixture = useReconcileFixture();
const base = { settleMs: 0, retryBaseMs: 100, retryMaxMs: 400 };
let other: Db | undefined;
let own: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  other?.close();
  await own?.close();
  other = own = undefined;
});

/** The other process: right after this one's next look for a twin, it adds the same photo anyway (--force). */
function otherProcessMakesItRightAfterTheLook(h: Harness): void {
  other = openDatabase(h.dataDir);
  const store = new JobStore(other);
  const inputs = new JobInputStore(other);
  const look = JobStore.prototype.madeAgainElsewhere;
  vi.spyOn(JobStore.prototype, 'madeAgainElsewhere').mockImplementationOnce(function (this: JobStore, job: JobRow) {
    const seen = look.call(this, job);
    const { id: _id, endpoint, provider, preset, optionsJson, inputName, inputPath, inputSha256, inputMime, maxAttempts, estimatedCostUsd } = job;
    const twin = { id: randomUUID(), endpoint, provider, preset, optionsJson, inputName, inputPath, inputSha256, inputMime, maxAttempts, estimatedCostUsd, createdAt: Date.now() };
    store.addOrJoin([{ job: twin, mayJoin: false }], (added) => inputs.insert(added.id, [singleInputOf(added)]));
    return seen;
  });
}

async function neverReceived(h: Harness, config: typeof base & { autoResubmit: boolean }) {
  h.fake.script({ op: 'submit', fault: { kind: 'reset' } });
  const id = (await h.engine.addImages([await pngItem()], {})).added[0]!.id;
  await waitForJob(h.engine, id, inState('needs_attention'));
  const reconciler = fixture.reconciler(h, { config });
  expect((await reconciler.runOnce({ force: true })).absent.map((a) => a.jobId)).toEqual([id]);
  expect(h.engine.getJob(id)!.message).toMatch(/Sending it again is safe/);
  return { id, reconciler };
}

it('Retry of a never-received job: the other process makes the photo between the look and the write - it asks, nothing is sent twice', async () => {
  const h = await fixture.harness();
  const { id } = await neverReceived(h, { ...base, autoResubmit: false });
  otherProcessMakesItRightAfterTheLook(h);
  await expect(h.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required', message: expect.stringMatching(/second model/) });
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
});

it('a pass resending what FAL never received: the other process makes the photo between the look and the write - not resent', async () => {
  const h = await fixture.harness();
  const config = { ...base, autoResubmit: false };
  const { id, reconciler } = await neverReceived(h, config);
  config.autoResubmit = true;
  otherProcessMakesItRightAfterTheLook(h);
  expect((await reconciler.runOnce({ force: true })).resubmitted).toEqual([]);
  expect(h.engine.getJob(id)).toMatchObject({ state: 'needs_attention', errorCode: 'submit_not_received' });
});

it('Retry of a job that failed before it was sent asks once the same photo was made by another job since', async () => {
  own = await createHarness({ engine: { maxAttempts: 1 } });
  const photo = await pngItem();
  own.fake.script({ op: 'upload', fault: { kind: 'infra', status: 503 } });
  const id = (await own.engine.addImages([photo], {})).added[0]!.id;
  const failed = await waitForJob(own.engine, id, inState('failed'));
  expect(failed.falRequestId).toBeNull();
  expect(own.fake.submissions).toHaveLength(0);
  // Dropped again: the failed job is not on its way, so a new one makes the model.
  const again = (await own.engine.addImages([photo], {})).added[0]!;
  expect(again.id).not.toBe(id);
  await waitForJob(own.engine, again.id, inState('succeeded'));
  expect(own.fake.submissions).toHaveLength(1);

  await expect(own.engine.retry(id, {})).rejects.toMatchObject({ code: 'confirmation_required', message: expect.stringMatching(/second model/) });
  expect(own.engine.getJob(id)).toMatchObject({ state: 'failed' });
  // Confirmed: sent.
  await own.engine.retry(id, { confirm: true });
  await waitForJob(own.engine, id, inState('succeeded'));
  expect(own.fake.submissions).toHaveLength(2);
});
