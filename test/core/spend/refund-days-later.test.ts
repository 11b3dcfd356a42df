// A request's billing events were read again only until 2 h after it ended, so a refund FAL listed
// later (days on: a support ticket, a failed output credited back) was never taken off its job's cost,
// the month's spend or the spending cap. Settled requests are now read again on a schedule that thins
// out with their age (every sync for 2 h, then each time their age has doubled) for 30 days: the late
// refund counts, and a request is not asked about sync after sync meanwhile.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import type { BillingEvent, PlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const HOUR = 3600_000;
const ENDED = Date.UTC(2026, 11, 1, 10);
let db: Database.Database | undefined;
afterEach(() => db?.close());

function setUp() {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob({ inputSha256: 'sha-refund' })]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(ENDED - 60_000, ENDED, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, ENDED - 60_000);
  const charge: BillingEvent = { request_id: 'req-1', endpoint_id: job!.endpoint, timestamp: new Date(ENDED).toISOString(), output_units: 1, cost_total: 0.3 };
  const state = { refunded: false, asked: 0 };
  const client = {
    billingEvents: async (q: { requestIds?: readonly string[] }) => {
      if (!q.requestIds?.includes('req-1')) return [];
      state.asked++;
      return state.refunded ? [charge, { ...charge, timestamp: new Date(ENDED + 3 * 24 * HOUR).toISOString(), output_units: -1, cost_total: -0.3 }] : [charge];
    },
    account: async () => ({}),
  } as Partial<PlatformClient> as PlatformClient;
  let now = ENDED + 60_000;
  const tracker = createSpendTracker({ db, now: () => now, billing: () => client });
  return { id: job!.id, state, tracker, at: (t: number) => (now = t) };
}

it('a refund FAL lists three days after the request ended is taken off its cost', async () => {
  const { id, state, tracker, at } = setUp();
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.3, 6), source: 'billing_event' }]);

  state.refunded = true;
  at(ENDED + 3 * 24 * HOUR);
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: 0, source: 'billing_event', refundedUsd: expect.closeTo(0.3, 6) }]);
});

it('a settled request is read again ever more rarely, and not at all after 30 days', async () => {
  const { state, tracker, at } = setUp();
  // Every 5 minutes (the app's sync) for 40 days.
  for (let t = ENDED + 60_000; t < ENDED + 40 * 24 * HOUR; t += 5 * 60_000) {
    at(t);
    await tracker.sync();
  }
  // 2 h of every sync (24), then about one read each time its age doubled (2 h -> 30 days: ~9).
  expect(state.asked).toBeGreaterThan(24);
  expect(state.asked).toBeLessThanOrEqual(24 + 10);
  const before = state.asked;
  at(ENDED + 41 * 24 * HOUR);
  await tracker.sync();
  expect(state.asked).toBe(before);
});
