// A state step the transition table refuses is a bug somewhere (the database holds a state the run
// did not expect: here another connection moves the job, as a bug would). The writer leaves the step
// out, says so once as an error and the job goes on: before the fix the refused step was flushed
// again and again, quietly, and rode on every later write of the job - the library commit of a paid,
// finished model and then the write of its failure were refused too, and the job stayed active.
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { addOne, createHarness, inState, waitForJob, waitUntil, type Harness } from './harness';

let h: Harness | undefined;
let db: Db | undefined;
afterEach(async () => {
  db?.close();
  db = undefined;
  await h?.close();
  h = undefined;
});

it("a refused step does not keep a paid job from ending: its model is stored, the bug said once", async () => {
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  h = await createHarness({ fake: { holdJobs: true }, engine: { logger } });
  db = openDatabase(h.dataDir);
  const other = db;
  let id: string | null = null;
  let moved = false;
  // FAL runs the job: 'running' is shown at once and written with the next flush. Before that flush,
  // a bug moves the stored job to 'downloading', from which 'running' is refused.
  h.engine.on('job', (job) => {
    if (job.id !== id || moved || job.state !== 'running') return;
    moved = true;
    other.prepare("UPDATE jobs SET state = 'downloading' WHERE id = ?").run(job.id);
  });
  id = await addOne(h.engine);
  const jobId = id;
  // The refused flush is said (before the fix: a warning that it would be tried again).
  await waitUntil(
    () => [...logger.error.mock.calls, ...logger.warn.mock.calls],
    (calls) => calls.some(([message]) => String(message).includes(jobId)),
    20_000,
    () => `nothing said of job ${jobId}`,
  );
  h.fake.setOptions({ holdJobs: false });
  const ended = await waitForJob(h.engine, jobId, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000);

  expect(ended.state).toBe('succeeded');
  expect(h.engine.library.get(ended.modelId!)).not.toBeNull();
  expect(h.fake.submissions).toHaveLength(1);
  const said = logger.error.mock.calls.filter(([message]) => String(message).includes(jobId));
  expect(said).toHaveLength(1);
  expect(said[0]![0]).toMatch(/from downloading to running/);
}, 45_000);
