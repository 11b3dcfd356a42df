// A slot freed at FAL goes to the next job first: its submit leaves before the finished job fetches
// its result or the claim loop takes another job (queue/scheduler.ts, engine/result-steps.ts). In a
// long queue every millisecond between FAL finishing one job and receiving the next is FAL's
// capacity left idle, once per job.
import { afterEach, describe, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('slot hand-off', () => {
  it("sends the waiting job's submit before the finished job's result is fetched", async () => {
    h = await createHarness({ fake: { processingMs: 150 }, engine: { concurrency: 1 } });
    const ids = [await addOne(h.engine), await addOne(h.engine), await addOne(h.engine)];
    for (const id of ids) await waitForJob(h.engine, id, inState('succeeded'));
    const requestOf = (id: string) => h!.engine.getJob(id)!.falRequestId!;
    const log = h.fake.requests;
    // One slot: the jobs are sent in the order they were added, one submit each.
    const submits = log.flatMap((entry, at) => (entry.op === 'submit' ? [at] : []));
    expect(submits).toHaveLength(ids.length);
    for (let i = 0; i + 1 < ids.length; i++) {
      const result = log.findIndex((entry) => entry.op === 'result' && entry.requestId === requestOf(ids[i]!));
      expect(result).toBeGreaterThan(-1);
      expect(submits[i + 1]).toBeLessThan(result);
    }
  }, 30_000);
});
