// Attack on the generation-slot wait (queue/scheduler.ts acquireSlot): a job is claimed and uploads
// its image, then waits - for minutes in a long queue - until a slot frees up. Whatever held FAL jobs
// back when it was claimed must still hold it when its slot comes: the spending cap reached or
// lowered, the key removed; and it goes out on the key the user has then. Before the fix the waiting
// job was sent anyway (paid past the cap, or on a key the user had just taken away or replaced).
// FAL holds the first job until the test has made its change (no race with a processing time: a
// test process paused or slowed down meanwhile still sees the slot come after the change).
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, waitForQueue, type Harness } from '../core/engine/harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

// Generous: the waits count the time this process ran (harness.ts); a paused run may take longer on the clock.
describe('a job waiting for a generation slot', { timeout: 120_000 }, () => {
  it.each([
    ['the spending cap is reached meanwhile', 'spending_cap'],
    ['the key is removed meanwhile', 'no_key'],
  ] as const)('is not sent when %s', async (_, status) => {
    const cap = { usd: null as number | null };
    h = await createHarness({ fake: { holdJobs: true }, engine: { concurrency: 1, getSpendingCapUsd: () => cap.usd } });
    const first = await addOne(h.engine, { preset: 'standard' });
    const { falRequestId } = await waitForJob(h.engine, first, inState('running'));
    const waiting = await addOne(h.engine, { preset: 'standard' });
    await waitForJob(h.engine, waiting, (job) => /waiting for a free slot/i.test(job.message ?? ''));

    if (status === 'spending_cap') {
      cap.usd = h.engine.costSummary(null).monthUsd; // the first job's estimate: the cap is reached
      h.engine.limitsChanged();
    } else {
      h.key.value = null;
      h.engine.keyChanged();
    }
    h.fake.completeNow(falRequestId!); // the slot comes
    const fakeStatus = await waitForJob(h.engine, first, inState('succeeded', 'failed'));
    if (status === 'spending_cap') expect(fakeStatus.state).toBe('succeeded');
    const held = await waitForJob(h.engine, waiting, inState('queued'));
    expect(held.message).toBe(status === 'no_key' ? 'Waiting for a FAL key' : 'Waiting to be sent to FAL');
    await waitForQueue(h.engine, (state) => state.status === status && state.queued === 1);
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('is sent with the key the user has when its slot comes', async () => {
    h = await createHarness({ fake: { holdJobs: true }, engine: { concurrency: 1 } });
    const first = await addOne(h.engine);
    const { falRequestId } = await waitForJob(h.engine, first, inState('running'));
    const waiting = await addOne(h.engine);
    await waitForJob(h.engine, waiting, (job) => /waiting for a free slot/i.test(job.message ?? ''));
    h.key.value = 'the-other-account-key-0987654321';
    h.engine.keyChanged();
    h.fake.completeNow(falRequestId!); // the slot comes
    h.fake.setOptions({ holdJobs: false });
    await waitForJob(h.engine, waiting, inState('succeeded'));
    const sent = h.fake.requests.filter((request) => request.op === 'submit');
    expect(sent.map((request) => request.authorization)).toEqual([`Key ${TEST_KEY}`, `Key ${h.key.value}`]);
  });
});
