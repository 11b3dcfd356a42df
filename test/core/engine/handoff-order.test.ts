// A slot freed at FAL goes to the next job first: its submit leaves before the finished job fetches
// its result or the claim loop takes another job (queue/scheduler.ts, engine/result-steps.ts). In a
// long queue every millisecond between FAL finishing one job and receiving the next is FAL's
// capacity left idle, once per job.
// The hand-off is for a job that is ready: FAL finishes a job here only once the next one waits for
// the slot (holdJobs + completeNow), never after a fixed time - a slow upload or a machine short of
// CPU made the next job still be preparing when a 150 ms job ended, and its submit came late.
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, waitForJob, waitUntil, inState, WAIT_LIMIT_MS, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const WAITING_FOR_SLOT = 'Ready; waiting for a free slot';

describe('slot hand-off', () => {
  it("sends the waiting job's submit before the finished job's result is fetched", async () => {
    h = await createHarness({ fake: { holdJobs: true }, engine: { concurrency: 1 } });
    const harness = h;
    // Uploads slower than any short FAL job: the order below must not depend on how fast a job prepares.
    harness.fake.script({ op: 'upload', times: Infinity, delayMs: 200 });
    const ids = [await addOne(harness.engine), await addOne(harness.engine), await addOne(harness.engine)];
    const requestOf = (id: string) => harness.engine.getJob(id)?.falRequestId ?? null;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      await waitForJob(harness.engine, id, (job) => job.falRequestId !== null);
      const next = ids[i + 1];
      // FAL finishes this job once the next one holds its place in line for the slot (it said so).
      if (next !== undefined) {
        await waitUntil(
          () => harness.jobs.get(next) ?? [],
          (events) => events.some((job) => job.message?.startsWith(WAITING_FOR_SLOT) === true),
          WAIT_LIMIT_MS,
          () => `job ${next} never waited for the slot`,
        );
      }
      expect(harness.fake.completeNow(requestOf(id)!)).toBe(true);
    }
    for (const id of ids) await waitForJob(harness.engine, id, inState('succeeded'));
    const log = harness.fake.requests;
    // One slot: the jobs are sent in the order they were added, one submit each.
    const submits = log.flatMap((entry, at) => (entry.op === 'submit' ? [at] : []));
    expect(submits).toHaveLength(ids.length);
    expect(harness.fake.submissions.map((s) => s.requestId)).toEqual(ids.map(requestOf));
    for (let i = 0; i + 1 < ids.length; i++) {
      const result = log.findIndex((entry) => entry.op === 'result' && entry.requestId === requestOf(ids[i]!));
      expect(result).toBeGreaterThan(-1);
      expect(submits[i + 1]).toBeLessThan(result);
    }
  }, 30_000);
});
