// Attack on the job writer's soft states (running, downloading: shown at once, written with the next
// write or a flush). A flush that the database refuses for a moment (busy, a full disk) must not drop
// those states: the job's next state write goes from the state the database has, and the transition
// table does not let a job skip steps (submitted -> succeeded is refused). Before the fix the failed
// flush forgot them, and the library commit of a paid, downloaded model failed with a TransitionError.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../src/core/db/open';
import { JobWriter } from '../../src/core/engine/job-writer';
import { endedPatch } from '../../src/core/engine/ownership';
import type { RunnerDeps } from '../../src/core/engine/run-context';
import { JobStore, type JobRow } from '../../src/core/queue/store';

let db: Db | null = null;
afterEach(() => {
  vi.restoreAllMocks();
  db?.close();
  db = null;
});

function submittedJob(store: JobStore): JobRow {
  const id = randomUUID();
  store.insertMany([
    {
      id,
      endpoint: 'fal-ai/trellis',
      provider: 'fal',
      preset: 'standard',
      optionsJson: '{}',
      inputName: 'a.png',
      inputPath: 'inputs/a.png',
      inputSha256: 'a',
      inputMime: 'image/png',
      maxAttempts: 3,
      createdAt: 1,
      estimatedCostUsd: 0.02,
    },
  ]);
  const row = store.claimNext({ owner: 'w', now: Date.now(), leaseMs: 60_000, falAllowed: true })!;
  return store.recordSubmission(row.id, row.fence, 'req-1', null, 0.2, Date.now())!;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

describe('soft states when a flush fails', () => {
  it('keeps them for the next write, so a finished job still commits through every state', async () => {
    db = openDatabase(':memory:');
    const store = new JobStore(db);
    const warn = vi.fn();
    const deps = {
      store,
      now: () => Date.now(),
      redact: (text: string) => text,
      onJob: () => undefined,
      logger: { info: () => undefined, warn, error: () => undefined },
    } as unknown as RunnerDeps;
    const writer = new JobWriter(deps, submittedJob(store));
    // FAL ran it and finished; the model is being fetched (both only shown so far).
    writer.softState({ state: 'running', message: 'Generating the model' });
    writer.softState({ state: 'downloading', message: 'Fetching the result' });
    // The download outlasts a flush, and the database is busy just then.
    vi.spyOn(store, 'updateMany').mockImplementationOnce(() => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    });
    await until(() => warn.mock.calls.length > 0);
    expect(writer.row.state).toBe('downloading');

    const now = Date.now();
    const committed = writer.commit({ ...endedPatch('succeeded', now), message: 'Done' }, 'Model added to the library', now, () => undefined);
    expect(committed?.state).toBe('succeeded');
    const transitions = store
      .events(writer.row.id)
      .filter((event) => event.kind === 'transition')
      .map((event) => `${event.fromState}->${event.toState}`);
    expect(transitions.slice(-3)).toEqual(['submitted->running', 'running->downloading', 'downloading->succeeded']);
  });
});
