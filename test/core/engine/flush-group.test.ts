// Every job's cosmetic changes (progress, messages, FAL's progress steps) are written together, in one
// transaction per flush for all the jobs that have some (engine/flush-group.ts), not one per job: a
// commit is the engine's main cost per write. One job's write refused or fenced off must not keep the
// others' from being written.
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { FlushGroup } from '../../../src/core/engine/flush-group';
import { JobWriter } from '../../../src/core/engine/job-writer';
import type { RunnerDeps } from '../../../src/core/engine/run-context';
import { JobStore, type JobRow } from '../../../src/core/queue/store';
import { newJob } from '../../support/new-job';

let db: Db | null = null;
afterEach(() => {
  vi.restoreAllMocks();
  db?.close();
  db = null;
});

function submittedJobs(store: JobStore, n: number): JobRow[] {
  const ids = Array.from({ length: n }, () => randomUUID());
  store.insertMany(ids.map((id, i) => newJob({ id, inputSha256: id, createdAt: i + 1 })));
  return ids.map(() => {
    const row = store.claimNext({ owner: 'w', now: Date.now(), leaseMs: 60_000, falAllowed: true })!;
    return store.recordSubmission(row.id, row.fence, `req-${row.id}`, null, 0.2, Date.now())!;
  });
}

function writers(store: JobStore, rows: JobRow[], warn = vi.fn()) {
  const deps = {
    store,
    flushGroup: new FlushGroup({ store }),
    now: () => Date.now(),
    redact: (text: string) => text,
    onJob: () => undefined,
    logger: { info: () => undefined, warn, error: () => undefined },
  } as unknown as RunnerDeps;
  return rows.map((row) => new JobWriter(deps, row));
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

it("writes several jobs' progress in one transaction, each with its own journal", async () => {
  db = openDatabase(':memory:');
  const store = new JobStore(db);
  const batches = vi.spyOn(store, 'updateMany');
  const single = vi.spyOn(store, 'update');
  const jobs = writers(store, submittedJobs(store, 5));
  jobs.forEach((writer, i) => {
    writer.softState({ state: 'running', message: `Generating ${i}` });
    writer.soft({ progress: 40 + i }, `log line ${i}`);
  });
  await until(() => jobs.every((writer) => store.get(writer.row.id)?.state === 'running'));
  expect(batches).toHaveBeenCalledTimes(1);
  expect(single).not.toHaveBeenCalled();
  jobs.forEach((writer, i) => {
    const stored = store.get(writer.row.id)!;
    expect(stored.progress).toBe(40 + i);
    const events = store.events(writer.row.id);
    expect(events.some((event) => event.kind === 'transition' && event.toState === 'running')).toBe(true);
    expect(events.some((event) => event.message === `log line ${i}`)).toBe(true);
  });
});

it("a job taken over, or one whose step is refused, leaves the others' writes in", async () => {
  db = openDatabase(':memory:');
  const store = new JobStore(db);
  const warn = vi.fn();
  const [taken, refused, fine] = writers(store, submittedJobs(store, 3), warn);
  // Another worker took the first job over (its fence moved on).
  db.prepare('UPDATE jobs SET fence = fence + 1 WHERE id = ?').run(taken!.row.id);
  taken!.soft({ progress: 50, message: 'stale' });
  // A step the transition table refuses (submitted -> succeeded skips running and downloading).
  refused!.softState({ state: 'succeeded', message: 'skipped ahead' });
  fine!.softState({ state: 'running', message: 'Generating' });
  await until(() => store.get(fine!.row.id)?.state === 'running');
  expect(taken!.lost).toBe(true);
  expect(store.get(taken!.row.id)?.message).not.toBe('stale');
  expect(store.get(refused!.row.id)?.state).toBe('submitted');
  expect(warn).toHaveBeenCalledWith(expect.stringContaining(refused!.row.id), expect.anything());
});
