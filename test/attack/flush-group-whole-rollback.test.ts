// Attack on the group flush (engine/flush-group.ts, store-fenced updateManyFenced): every job's
// cosmetic writes in one transaction, each job a savepoint. Some errors (a full disk: SQLITE_FULL, an
// I/O error) make SQLite roll back the WHOLE transaction, not just the savepoint. The jobs after the
// failing one were then written outside any transaction, each committed on its own, while the batch
// said all of them failed: their journal lines were kept and written a second time by the next flush
// (and the jobs before it were not written at all).
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../src/core/db/open';
import { FlushGroup } from '../../src/core/engine/flush-group';
import { JobWriter } from '../../src/core/engine/job-writer';
import type { RunnerDeps } from '../../src/core/engine/run-context';
import { JobStore, type JobRow } from '../../src/core/queue/store';

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

function submittedJobs(store: JobStore, n: number): JobRow[] {
  const ids = Array.from({ length: n }, () => randomUUID());
  store.insertMany(
    ids.map((id, i) => ({
      id,
      endpoint: 'fal-ai/trellis',
      provider: 'fal' as const,
      preset: 'standard' as const,
      optionsJson: '{}',
      inputName: `${i}.png`,
      inputPath: `inputs/${i}.png`,
      inputSha256: id,
      inputMime: 'image/png',
      maxAttempts: 3,
      createdAt: i + 1,
      estimatedCostUsd: 0.02,
    })),
  );
  return ids.map(() => {
    const row = store.claimNext({ owner: 'w', now: Date.now(), leaseMs: 60_000, falAllowed: true })!;
    return store.recordSubmission(row.id, row.fence, `req-${row.id}`, null, 0.2, Date.now())!;
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

it("a full disk in one job's write leaves the others' written, each journaled once", async () => {
  db = openDatabase(':memory:');
  const store = new JobStore(db);
  const warn = vi.fn();
  const logger = { info: () => undefined, warn, error: () => undefined };
  const deps = {
    store,
    flushGroup: new FlushGroup({ store, logger }),
    now: () => Date.now(),
    redact: (text: string) => text,
    onJob: () => undefined,
    logger,
  } as unknown as RunnerDeps;
  const [first, big, last] = submittedJobs(store, 3).map((row) => new JobWriter(deps, row));
  const lines = (writer: JobWriter, line: string) => store.events(writer.row.id).filter((event) => event.message === line).length;

  // The database may not grow: the small writes fit in its pages, the long journal line does not.
  db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true })) + 2}`);
  first!.softState({ state: 'running' });
  first!.log('first line');
  const long = `FAL said: ${'x'.repeat(200_000)}`;
  big!.log(long);
  last!.softState({ state: 'running' });
  last!.log('last line');
  await until(() => lines(first!, 'first line') === 1 && lines(last!, 'last line') === 1);
  expect(lines(big!, long)).toBe(0);
  expect(warn).toHaveBeenCalledWith(expect.stringContaining(big!.row.id), expect.stringMatching(/full/));

  // Space again: the next flush writes what each job kept, once.
  db.pragma('max_page_count = 1073741823');
  await until(() => lines(big!, long) > 0);
  for (const [writer, line] of [
    [first!, 'first line'],
    [big!, long],
    [last!, 'last line'],
  ] as const) {
    expect(lines(writer, line)).toBe(1);
    expect(store.events(writer.row.id).filter((event) => event.kind === 'transition' && event.toState === 'running').length).toBe(writer === big ? 0 : 1);
  }
});
