// The claim loop's room for jobs around a generation slot (queue/scheduler.ts): jobs that are still
// finishing (download, check, storage - waiting for the disk or the CPU) must not keep the next job
// from being prepared, or a slot freed at FAL finds no job ready to be sent.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { Scheduler } from '../../../src/core/queue/scheduler';
import { WorkerInterrupt, type WorkerContext } from '../../../src/core/queue/worker-context';
import { JobStore } from '../../../src/core/queue/store';
import { newJob } from '../../support/new-job';


let db: Db | null = null;
let scheduler: Scheduler | null = null;
afterEach(async () => {
  await scheduler?.stop();
  db?.close();
  scheduler = null;
  db = null;
});

/** A claim loop for one owner that claims at once and polls every 20 ms. */
function startScheduler(store: JobStore, run: (ctx: WorkerContext) => Promise<void>, concurrency: number, onWorkerError: (error: unknown) => void = () => undefined): Scheduler {
  const started = new Scheduler({ store, owner: 'w1', now: () => Date.now(), leaseMs: 60_000, heartbeatMs: 10_000, pollMs: 20, concurrency, falAllowed: () => true, recover: () => undefined, run, onWorkerError });
  started.start();
  return started;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('the claim loop', () => {
  it('prepares the next job while every slot generates and two jobs per slot are still finishing', async () => {
    db = openDatabase(':memory:');
    const store = new JobStore(db);
    const jobs = store.insertMany(Array.from({ length: 8 }, (_, i) => newJob({ createdAt: i + 1 })));
    const started: string[] = [];
    const finishing: string[] = [];
    const generating: string[] = [];
    const errors: unknown[] = [];
    const run = async (ctx: WorkerContext) => {
      started.push(ctx.row.id);
      await ctx.acquireSlot();
      // Jobs 1-4 finish at FAL at once and then stay in their storage step; jobs 5 and 6 keep
      // their slots (FAL still generating).
      if (jobs.findIndex((job) => job.id === ctx.row.id) < 4) {
        ctx.releaseSlot();
        finishing.push(ctx.row.id);
      } else {
        generating.push(ctx.row.id);
      }
      await new Promise((resolve) => ctx.stopSignal.addEventListener('abort', resolve));
    };
    scheduler = startScheduler(store, run, 2, (error) => {
      if (!(error instanceof WorkerInterrupt)) errors.push(error);
    });
    await until(() => finishing.length === 4 && generating.length === 2);
    // Both slots busy, four jobs finishing: jobs 7 and 8 are still claimed and prepared, one ready
    // for each slot as it frees.
    await until(() => started.includes(jobs[6]!.id) && started.includes(jobs[7]!.id));
    expect(errors).toEqual([]);
  });

  it('keeps track of a job claimed again while its old worker (its lease lost) still winds down', async () => {
    db = openDatabase(':memory:');
    const store = new JobStore(db);
    const [job] = store.insertMany([newJob({ createdAt: 1 })]);
    const runs: { release: () => void; stopped: Promise<unknown> }[] = [];
    const run = async (ctx: WorkerContext) => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const stopped = new Promise((resolve) => ctx.stopSignal.addEventListener('abort', resolve));
      runs.push({ release, stopped });
      await Promise.race([released, stopped]);
    };
    scheduler = startScheduler(store, run, 2);
    await until(() => runs.length === 1);
    // Another process's recovery took the job back (the first worker's lease had run out); this
    // scheduler claims it again while the first worker has not returned yet.
    db.prepare(`UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, fence = fence + 1 WHERE id = ?`).run(job!.id);
    await until(() => runs.length === 2);
    runs[0]!.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The second worker runs on: the scheduler still holds the job, counts it, and stop() waits for it.
    expect(scheduler.holds(job!.id)).toBe(true);
    expect(scheduler.activeCount).toBe(1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await runs[1]!.stopped;
    await stopping;
    expect(stopped).toBe(true);
  });
});
