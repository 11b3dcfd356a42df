// A finished request FAL's billing events did not list within 2 h was recorded as not charged - and
// never asked about again, unlike a charged one (read again for 30 days since 204d671: a refund listed
// late). FAL documents no listing delay: a charge it lists after those 2 h was never counted, and the
// month's spend and the spending cap stayed below what FAL took. Requests taken as not charged are now
// read again on the same thinning schedule; a charge listed late replaces the "not charged".
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

function setUp() {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob({ inputSha256: 'sha-late-charge' })]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(ENDED - 60_000, ENDED, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, ENDED - 60_000);
  const charge: BillingEvent = { request_id: 'req-1', endpoint_id: job!.endpoint, timestamp: new Date(ENDED).toISOString(), output_units: 1, cost_total: 0.3 };
  const state = { listed: false, asked: 0 };
  const client = {
    billingEvents: async (q: { requestIds?: readonly string[] }) => {
      if (!q.requestIds?.includes('req-1')) return [];
      state.asked++;
      return state.listed ? [charge] : [];
    },
    account: async () => ({}),
  } as Partial<PlatformClient> as PlatformClient;
  let now = ENDED + 60_000;
  const tracker = createSpendTracker({ db, now: () => now, billing: () => client });
  return { id: job!.id, state, tracker, at: (t: number) => (now = t) };
}

it('a charge FAL lists a day after the request was taken as not charged is counted', async () => {
  const { id, state, tracker, at } = setUp();
  at(ENDED + 3 * HOUR);
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: 0, source: 'no_charge' }]);

  state.listed = true;
  at(ENDED + DAY);
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.3, 6), source: 'billing_event' }]);
  expect(tracker.spendBetween(ENDED - DAY, ENDED + 2 * DAY)).toBeCloseTo(0.3, 6);
});

it('a request taken as not charged is read again ever more rarely, and not at all after 30 days', async () => {
  const { state, tracker, at } = setUp();
  for (let t = ENDED + 60_000; t < ENDED + 40 * DAY; t += 5 * 60_000) {
    at(t);
    await tracker.sync();
  }
  expect(state.asked).toBeGreaterThan(24);
  expect(state.asked).toBeLessThanOrEqual(24 + 10);
});
