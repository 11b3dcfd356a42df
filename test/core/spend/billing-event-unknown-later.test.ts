// A request's billing events are read again until 2 h after it ended, and an answer read again never
// lowers what was counted. But an answer that lists, beside the event already counted, a further event
// with no cost yet (cost_total null, no estimate in nano-USD) made the request's cost unknown: the real
// charge counted was dropped and the request's estimate stood in for it again - lower than what FAL
// billed, so the month's spend and the spending cap lost the difference. What was counted stays.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import type { BillingEvent, PlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const SENT = Date.UTC(2026, 11, 3, 9);
let db: Database.Database | undefined;
afterEach(() => db?.close());

it('a further billing event listed with no cost yet does not undo the charge already counted', async () => {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob()]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(SENT, SENT + 60_000, job!.id);
  // The estimate: $0.30. FAL billed $0.45.
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, SENT);
  const endpoint = job!.endpoint;
  const charged: BillingEvent = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 60_000).toISOString(), output_units: 1, cost_total: 0.45 };
  const pending: BillingEvent = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 90_000).toISOString(), output_units: 1, cost_total: null };
  let listed = [charged];
  let now = SENT + 120_000;
  const client = { billingEvents: async () => listed.map((e) => ({ ...e })), account: async () => ({}) } as Partial<PlatformClient> as PlatformClient;
  const tracker = createSpendTracker({ db, now: () => now, billing: () => client });
  await tracker.sync();
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.45, 6);

  // Read again within 2 h of its end: a further event, its cost not known yet.
  listed = [charged, pending];
  now += 10 * 60_000;
  await tracker.sync();
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.45, 6);
  expect(tracker.jobCosts([job!.id])).toEqual([{ jobId: job!.id, usd: expect.closeTo(0.45, 6), source: 'billing_event' }]);

  // Once its cost is listed, it adds up.
  listed = [charged, { ...pending, cost_total: 0.05 }];
  now += 10 * 60_000;
  await tracker.sync();
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.5, 6);
});
