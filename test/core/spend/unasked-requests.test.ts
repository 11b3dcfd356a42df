// The billing sync reads FAL's billing events of the last 89 days only (FAL takes a range of at most
// 90 days). "No event, so no charge" is evidence only for a request sent inside the range it asked
// about: a request sent before it (a job from months ago seen by a billing key set today, or a past
// request kept before migration 16 and asked about for the first time) keeps its estimate - its
// month's spend must not drop to $0 because nobody asked FAL about it.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/core/db/migrations';
import type { PlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { CostStore } from '../../../src/core/spend/costs';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';
import { insertJobsAtOldSchema } from '../../support/old-schema-jobs';

const DAY = 24 * 3600_000;
const NOW = Date.UTC(2026, 11, 3, 10);
let db: Database.Database | undefined;
afterEach(() => db?.close());

/** A billing client with no billing events at all, telling what it was asked. */
function noEvents(asked: { start: number; ids: string[] }[]): PlatformClient {
  return {
    billingEvents: async (q) => {
      asked.push({ start: q.start!.getTime(), ids: [...(q.requestIds ?? [])] });
      return [];
    },
    account: async () => ({ credits: { current_balance: 10, currency: 'USD' } }),
  } as Partial<PlatformClient> as PlatformClient;
}

it('a request sent before the range FAL was asked about keeps its estimate; one sent inside it with no event costs nothing', async () => {
  db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 15));
  const [old, pastOwner, recent] = insertJobsAtOldSchema(db, [newJob({ inputSha256: 'a' }), newJob({ inputSha256: 'b' }), newJob({ inputSha256: 'c' })]);
  const long = NOW - 120 * DAY;
  // A job finished 120 days ago (never synced: the billing key is new), with its estimate.
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-old', submitted_at = ?, finished_at = ? WHERE id = ?").run(long, long + 60_000, old!.id);
  // A late answer kept 100 days ago (before migration 16), with its estimate.
  db.prepare("INSERT INTO job_past_requests (request_id, job_id, at) VALUES ('req-late-old', ?, ?)").run(pastOwner!.id, NOW - 100 * DAY);
  // A job finished 10 days ago: inside the range asked about.
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-recent', submitted_at = ?, finished_at = ? WHERE id = ?").run(NOW - 10 * DAY, NOW - 10 * DAY + 60_000, recent!.id);
  const spend = db.prepare('INSERT INTO spend (job_id, at, usd) VALUES (?, ?, ?)');
  spend.run(old!.id, long, 0.3);
  spend.run(pastOwner!.id, NOW - 100 * DAY, 0.3);
  spend.run(recent!.id, NOW - 10 * DAY, 0.3);
  migrate(db);

  const costs = new CostStore(db);
  const before = costs.totalsBetween(0, NOW + 1);
  expect(before.usd).toBeCloseTo(0.9, 6);

  const asked: { start: number; ids: string[] }[] = [];
  const tracker = createSpendTracker({ db, now: () => NOW, billing: () => noEvents(asked) });
  await tracker.sync();
  expect(tracker.summary(null).syncError).toBeNull();
  // Whatever it asked about, it asked from at most 89 days back.
  for (const a of asked) expect(a.start).toBeGreaterThanOrEqual(NOW - 89 * DAY);

  // The recent one: asked about, no event, long finished - no charge.
  expect(db.prepare("SELECT source, usd FROM real_costs WHERE request_id = 'req-recent'").get()).toEqual({ source: 'no_charge', usd: 0 });
  // The old ones: never in a range FAL was asked about - nothing is concluded, their estimates stay.
  expect(db.prepare("SELECT request_id FROM real_costs WHERE request_id IN ('req-old', 'req-late-old')").all()).toEqual([]);
  expect(costs.totalsBetween(NOW - 130 * DAY, NOW - 90 * DAY).usd).toBeCloseTo(0.6, 6);
  expect(costs.totalsBetween(0, NOW + 1).usd).toBeCloseTo(0.6, 6);
  // And they are not asked about again and again, sync after sync.
  asked.length = 0;
  await tracker.sync();
  expect(asked.flatMap((a) => a.ids)).toEqual([]);
});

it('billing events for requests it did not ask about are not counted (an answer that ignored the request filter)', async () => {
  db = new Database(':memory:');
  migrate(db);
  const store = new JobStore(db);
  const [job] = store.insertMany([newJob()]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-mine', submitted_at = ?, finished_at = ? WHERE id = ?").run(NOW - DAY, NOW - DAY + 60_000, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-mine')").run(job!.id, NOW - DAY);
  const event = (requestId: string, usd: number) => ({ request_id: requestId, endpoint_id: job!.endpoint, timestamp: new Date(NOW - DAY).toISOString(), cost_total: usd });
  // The whole account's charges came back: this app's request, and others' (another app, a teammate).
  const client = {
    billingEvents: async () => [event('req-mine', 0.27), event('req-stranger-1', 5), event('req-stranger-2', 7)],
    account: async () => ({}),
  } as Partial<PlatformClient> as PlatformClient;
  const tracker = createSpendTracker({ db, now: () => NOW, billing: () => client });
  await tracker.sync();
  expect(tracker.summary(1)).toMatchObject({ monthUsd: expect.closeTo(0.27, 6), basis: 'real', capReached: false });
  expect(db.prepare('SELECT request_id AS requestId FROM real_costs').all()).toEqual([{ requestId: 'req-mine' }]);
});
