// A submit whose answer comes after the job's lease ran out (laptop asleep, a stalled event loop) and
// recovery - here by another connection, as the CLI sharing the folder does - set the job aside as
// "may have been sent": FAL's request id is still stored (same send, no id yet), and the job is
// followed, paid once; a job that moved on meanwhile is left as it is (queue/store-late-submit.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { SUBMIT_INTERRUPTED_MESSAGE } from '../../../src/core/engine/ownership';
import { JobStore } from '../../../src/core/queue/store';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
let db: Db | undefined;
afterEach(async () => {
  db?.close();
  db = undefined;
  await h?.close();
  h = undefined;
});

const HOUR = 3_600_000;

/** Another process's view of the folder, taking back every lease as if it had run out. */
function otherProcess(dataDir: string) {
  db = openDatabase(dataDir);
  const store = new JobStore(db);
  return {
    store,
    recoverAsExpired: () => store.recoverOrphans(Date.now() + HOUR, () => false, SUBMIT_INTERRUPTED_MESSAGE),
    spendRows: (id: string) => (db!.prepare('SELECT COUNT(*) AS n FROM spend WHERE job_id = ?').get(id) as { n: number }).n,
  };
}

describe("FAL's answer after the lease ran out during the submit", () => {
  it('stores the request id when the job still waits on that send: followed, one submission, one spend row', async () => {
    h = await createHarness();
    const other = otherProcess(h.dataDir);
    let recovered: string[] = [];
    // The POST has reached FAL; before its answer is sent, the lease runs out and the other process recovers the job.
    h.fake.script({
      op: 'submit',
      when: () => {
        recovered = other.recoverAsExpired().map((row) => `${row.id}:${row.state}`);
        return true;
      },
    });
    const id = await addOne(h.engine);
    // Idle: the worker that sent it has let go, and whatever became of the job has run its course.
    await waitForJob(h.engine, id, () => recovered.length > 0);
    await h.engine.waitForIdle();
    const job = h.engine.getJob(id)!;
    expect(recovered).toEqual([`${id}:needs_attention`]);
    expect(job.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
    expect(job.falRequestId).toBe(h.fake.submissions[0]!.requestId);
    expect(job.errorCode).toBeNull();
    expect(other.spendRows(id)).toBe(1);
    const transitions = other.store.events(id).filter((e) => e.kind === 'transition').map((e) => `${e.fromState}>${e.toState}`);
    expect(transitions).toContain('needs_attention>queued');
  });

  it('leaves a job that moved on (sent again by the user) as it is, and journals the late id', async () => {
    h = await createHarness();
    const other = otherProcess(h.dataDir);
    h.fake.script({
      op: 'submit',
      when: (ctx) => {
        // Recovered, then retried by the user before the first answer came: a new send follows.
        for (const row of other.recoverAsExpired()) other.store.requeue(row.id, Date.now(), { resubmit: true, message: 'Sent again' });
        return ctx.op === 'submit';
      },
    });
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention'));
    expect(job.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(2);
    const [first, second] = h.fake.submissions;
    expect(job.falRequestId).toBe(second!.requestId);
    // Both requests run at FAL and are charged: the first, followed by no job, counts in the spend too.
    expect(other.spendRows(id)).toBe(2);
    const notes = other.store.events(id).map((e) => e.message ?? '');
    expect(notes.some((note) => note.includes(first!.requestId) && /moved on/.test(note))).toBe(true);
  });
});
