// The re-read schedule of settled requests (refunds FAL lists late) compares the clock now with the
// times it stored: when the request ended and when it was last read. A system clock set wrong and put
// right (or a machine whose clock jumped) made those times lie in the future: a read while the clock
// was days ahead left the request unread until the real date caught up with it (a refund in between
// never counted), and a request sent while the clock was ahead was asked about with a range starting
// after it ended (refused by FAL), then read at every sync until the real date caught up.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import type { BillingEvent, PlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ENDED = Date.UTC(2026, 11, 1, 10);
let db: Database.Database | undefined;
afterEach(() => db?.close());

function setUp(ended: number) {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob({ inputSha256: 'sha-clock' })]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(ended - 60_000, ended, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, ended - 60_000);
  const charge: BillingEvent = { request_id: 'req-1', endpoint_id: job!.endpoint, timestamp: new Date(ended).toISOString(), output_units: 1, cost_total: 0.3 };
  const state = { refunded: false, asked: 0 };
  const client = {
    billingEvents: async (q: { requestIds?: readonly string[]; start?: Date; end?: Date }) => {
      // As FAL: a range that starts after it ends is refused (the whole read fails).
      if (q.start && q.end && q.start >= q.end) throw new Error('422: start must be before end');
      if (!q.requestIds?.includes('req-1')) return [];
      state.asked++;
      return state.refunded ? [charge, { ...charge, output_units: -1, cost_total: -0.3 }] : [charge];
    },
    account: async () => ({}),
  } as Partial<PlatformClient> as PlatformClient;
  let now = ended + 60_000;
  const tracker = createSpendTracker({ db, now: () => now, billing: () => client });
  return { id: job!.id, state, tracker, at: (t: number) => (now = t) };
}

it('read while the clock was 20 days ahead, then the clock put right: a refund listed on day 3 still counts', async () => {
  const { id, state, tracker, at } = setUp(ENDED);
  await tracker.sync();
  at(ENDED + 20 * DAY); // the clock wrong: read "20 days on"
  await tracker.sync();
  state.refunded = true;
  at(ENDED + 3 * DAY); // put right; FAL lists a refund
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: 0, source: 'billing_event', refundedUsd: expect.closeTo(0.3, 6) }]);
});

it('a request that ended while the clock was a year ahead is not read at every sync until that date', async () => {
  const { state, tracker, at } = setUp(ENDED + 365 * DAY);
  // The clock put right: a day of syncs every 5 minutes (288).
  for (let t = ENDED; t < ENDED + DAY; t += 5 * 60_000) {
    at(t);
    await tracker.sync();
  }
  // Read (FAL dates its events by its own clock: the range asked ends now), again and again (its date
  // cannot be trusted), but no more often than every 2 h.
  expect(state.asked).toBeGreaterThan(1);
  expect(state.asked).toBeLessThanOrEqual(13);
});
