// A state step the transition table refuses is a bug somewhere (the database holds a state the run
// did not expect: here another connection moves the job, as a bug would). The writer leaves the step
// out, says so once as an error and the job goes on: before the fix the refused step was flushed
// again and again, quietly, and rode on every later write of the job - the library commit of a paid,
// finished model and then the write of its failure were refused too, and the job stayed active.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { addOne, createHarness, inState, SILENT, waitForJob, waitUntil, type Harness } from './harness';

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

// The job's own state change refused: the run cannot go on, and the job ends saying what to do -
// before, "Something went wrong on this computer: A job cannot go from ... to ...".
describe("a job whose own state change is refused", () => {
  it("ends failed, FAL's request id kept, saying Download again (free) - which then fetches the model", async () => {
    h = await createHarness({ fake: { holdJobs: true }, engine: { logger: SILENT } });
    db = openDatabase(h.dataDir);
    const other = db;
    const jobId = await addOne(h.engine);
    const stored = () => (other.prepare('SELECT state FROM jobs WHERE id = ?').get(jobId) as { state: string }).state;
    await waitUntil(stored, (state) => state === 'running', 20_000, (state) => `stored as ${state}, not running`);
    let moved = false;
    // FAL finished it and its model is being fetched: a bug moves the stored job back to preparing,
    // from which neither downloading nor succeeded may follow.
    h.engine.on('job', (job) => {
      if (job.id !== jobId || moved || job.state !== 'downloading') return;
      moved = true;
      other.prepare("UPDATE jobs SET state = 'preparing' WHERE id = ?").run(job.id);
    });
    h.fake.setOptions({ holdJobs: false });
    const ended = await waitForJob(h.engine, jobId, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000);

    expect(ended).toMatchObject({ state: 'failed', falRequestId: h.fake.submissions[0]!.requestId });
    expect(ended.errorMessage).toMatch(/from preparing to succeeded/);
    expect(ended.errorMessage).toMatch(/use Download again \(free\) to fetch its model/);
    await h.engine.retry(jobId, { mode: 'download' });
    const again = await waitForJob(h.engine, jobId, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000);
    expect(again.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
  }, 45_000);

  it('ends failed saying nothing was charged and Retry runs it again, when nothing was sent', async () => {
    h = await createHarness({ engine: { logger: SILENT } });
    db = openDatabase(h.dataDir);
    const other = db;
    let moved = false;
    // The Relief generator (on this computer) has claimed it - the only job, claimed before addOne
    // returns; a bug moves it on to downloading, from which running is refused.
    h.engine.on('job', (job) => {
      if (moved || job.state !== 'preparing') return;
      moved = true;
      other.prepare("UPDATE jobs SET state = 'downloading' WHERE id = ?").run(job.id);
    });
    const id = await addOne(h.engine, { endpoint: 'offline/relief', preset: 'draft' });
    const ended = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000);

    expect(ended.state).toBe('failed');
    expect(ended.errorMessage).toMatch(/from downloading to running/);
    expect(ended.errorMessage).toMatch(/Nothing was sent to FAL, so nothing was charged: Retry runs it again/);
    expect(h.fake.submissions).toHaveLength(0);
  }, 45_000);
});
