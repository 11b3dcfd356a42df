// Attack on the late request id (queue/store-late-submit.ts): FAL's answer to a send comes after the
// job moved on. Two ways it moved on that the first version got wrong:
// - the reconciler adopted that very request meanwhile: the journal said "FAL accepted an earlier send
//   of this job as <id> ... not stored" about the request the job follows - to a user watching for a
//   double charge, a second paid request that never existed;
// - the user sent it again (Retry, confirmed): FAL runs and charges the first request too, but no
//   spend row counted it, so the month's spend (and the spending cap) was short by its price - the cap
//   let a paid submit through. It is counted once, and kept among the job's past requests so
//   reconciliation never takes it for the job's later send.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/core/db/open';
import { JobStore } from '../../src/core/queue/store';
import { newJob } from '../support/new-job';
import { CheckStore } from '../../src/core/reconcile/checks';

let db: Db;
let store: JobStore;
beforeEach(() => {
  db = openDatabase(':memory:');
  store = new JobStore(db);
});
afterEach(() => db.close());

const job = () => newJob({ estimatedCostUsd: 0.4 });

/** Sent at 1500, its lease ran out before the answer: set aside as needs_attention. */
function setAside() {
  const [row] = store.insertMany([job()]);
  const c = store.claimNext({ owner: 'asleep', now: 1000, leaseMs: 10_000, falAllowed: true })!;
  store.update(c.id, c.fence, { submitStartedAt: 1500, submitInputJson: '{}' }, 1500);
  expect(store.recoverOrphans(20_000, () => false, 'may have been sent').map((r) => r.state)).toEqual(['needs_attention']);
  return row!.id;
}

const journal = (id: string) => store.events(id).map((e) => e.message ?? '');

describe('a late request id for a job that moved on', () => {
  it('the reconciler adopted that very request: no "not stored" line, spent once', () => {
    const id = setAside();
    const checks = new CheckStore(db, store);
    expect(checks.adopt(store.get(id)!, 'req-1', 21_000, 'adopted', 1600)).not.toBeNull();
    expect(store.recordLateSubmission(id, { sentAt: 1500, requestId: 'req-1', at: 22_000 })).toBeNull();
    expect(journal(id).filter((line) => /not stored/.test(line))).toEqual([]);
    expect(journal(id).some((line) => line.includes('req-1') && /already follows/.test(line))).toBe(true);
    expect(store.spendBetween(0, 100_000)).toBeCloseTo(0.4);
  });

  it('sent again by the user: the first request FAL runs is counted in the spend, once', () => {
    const id = setAside();
    expect(store.requeue(id, 21_000, { resubmit: true, message: 'Queued again' })).not.toBeNull();
    // The answer to the first send comes now; the job waits for its second send.
    expect(store.recordLateSubmission(id, { sentAt: 1500, requestId: 'req-first', at: 22_000 })).toBeNull();
    expect(store.get(id)).toMatchObject({ state: 'queued', falRequestId: null });
    expect(store.spendBetween(0, 100_000)).toBeCloseTo(0.4);
    // The same answer reported again adds nothing.
    expect(store.recordLateSubmission(id, { sentAt: 1500, requestId: 'req-first', at: 22_500 })).toBeNull();
    expect(store.spendBetween(0, 100_000)).toBeCloseTo(0.4);
    // Never adopted for this job's later send (same input): reconciliation sees it as taken.
    expect(new CheckStore(db, store).takenRequestIds(['req-first']).has('req-first')).toBe(true);
  });
});
