// The line a job says once FAL took it (recordSubmission) agrees with the job row and the follow step:
// FAL's queue_position counts from 0 (FAL.md), so 0 is first in its queue - it said "Waiting at FAL"
// for 0 and "Waiting at FAL (position 3)" for a job with three ahead (the row: "4th in FAL's queue").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { JobStore } from '../../../src/core/queue/store';
import { newJob } from '../../support/new-job';

let db: Db;
let store: JobStore;
beforeEach(() => {
  db = openDatabase(':memory:');
  store = new JobStore(db);
});
afterEach(() => db.close());

const submittedWith = (position: number | null) => {
  store.insertMany([newJob()]);
  const c = store.claimNext({ owner: 'w1', now: 2000, leaseMs: 10_000, falAllowed: true })!;
  return store.recordSubmission(c.id, c.fence, `req-${String(position)}`, position, 15, 3000)!.message;
};

describe('the submitted job’s line', () => {
  it('counts FAL’s queue position from 0', () => {
    expect(submittedWith(0)).toBe('First in FAL’s queue');
  });
  it('says how many are ahead, not a 0-based position', () => {
    expect(submittedWith(3)).toBe('In FAL’s queue, 3 ahead');
  });
  it('says it waits in FAL’s queue when FAL gave no position', () => {
    expect(submittedWith(null)).toBe('Waiting in FAL’s queue');
  });
});
