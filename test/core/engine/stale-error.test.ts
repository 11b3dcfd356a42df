// A job keeps its last error while it waits because of it (queued, to try again) or ended with it;
// once it is claimed again and goes on, that error is no longer what happens to it and goes - the
// CLI's --json, its summary and the Job the app and bridge see all read the row.
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('an error the job waited out is cleared once it goes on (running holds no "FAL asked to slow down")', async () => {
  h = await createHarness({ fake: { holdJobs: true } });
  h.fake.script({ op: 'submit', fault: { kind: 'rateLimit', retryAfter: 0.3 } });
  const id = await addOne(h.engine);
  // Waiting after the 429: the error says why.
  const waiting = await waitForJob(h.engine, id, (job) => job.state === 'queued' && job.errorMessage !== null);
  expect(waiting.errorCode).toBe('rate_limited');
  // Sent again and running at FAL: the row no longer carries the old error.
  const running = await waitForJob(h.engine, id, inState('running'));
  expect(running).toMatchObject({ errorCode: null, errorMessage: null });
  // Every state it showed after that wait: none that went on carries the error.
  const shown = h.jobs.get(id)!;
  const moved = shown.slice(shown.findIndex((job) => job.errorCode === 'rate_limited')).filter((job) => job.state !== 'queued');
  expect(moved.length).toBeGreaterThan(0);
  expect(moved.filter((job) => job.errorMessage !== null).map((job) => `${job.state}: ${job.errorMessage}`)).toEqual([]);
  h.fake.setOptions({ holdJobs: false });
  const done = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
  expect(done).toMatchObject({ state: 'succeeded', errorCode: null, errorMessage: null });
  expect(h.fake.submissions).toHaveLength(1);
});
