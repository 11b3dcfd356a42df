// Attack: a model (or a hostile FAL) logs thousands of distinct lines - a progress bar redrawn as
// "step 1/5000", "step 2/5000"... Each distinct line became a row in the job's journal in the database
// (and a job update), without bound: 5,000 lines, 5,000 rows for one job, and the (timestamp, message)
// set the follower keeps grew with them. The journal keeps the first lines and then says that further
// lines are left out; the job itself is unaffected.
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('thousands of distinct model log lines leave a bounded journal, and the job ends with its model', async () => {
  h = await createHarness({ engine: { useStatusStream: false } });
  const lines = Array.from({ length: 5_000 }, (_, i) => `Sampling step ${i + 1}/5000`);
  h.fake.script({ op: 'submit', outcome: { kind: 'logLines', lines } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 30_000);
  expect(job.state).toBe('succeeded');
  const journal = h.engine.jobEvents(id).map((e) => e.message ?? '');
  expect(journal.filter((line) => line.startsWith('Sampling step')).length).toBeGreaterThan(10);
  expect(journal.length).toBeLessThan(500);
  expect(journal.some((line) => /further lines .* not kept/i.test(line))).toBe(true);
}, 45_000);
