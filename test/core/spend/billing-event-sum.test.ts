// FAL may bill one request in several billing events (FAL-PLATFORM.md §2: a row per event, keyed by
// request_id): the request's real cost is their sum. The last event replaced the others, so a request
// billed $0.20 + $0.07 counted $0.07 and the month's spend and the spending cap lost $0.20. The same
// event listed twice (a page read again) counts once, and a sync run twice counts nothing twice.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import type { BillingEvent, PlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const NOW = Date.UTC(2026, 11, 3, 10);
const SENT = NOW - 3600_000;
let db: Database.Database | undefined;
afterEach(() => db?.close());

function setup(): { endpoint: string; jobId: string } {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob()]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(SENT, SENT + 60_000, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, SENT);
  return { endpoint: job!.endpoint, jobId: job!.id };
}

const clientOf = (events: BillingEvent[]) =>
  ({ billingEvents: async () => events.map((e) => ({ ...e })), account: async () => ({}) }) as Partial<PlatformClient> as PlatformClient;

it('two billing events of one request add up', async () => {
  const { endpoint, jobId } = setup();
  const first = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 60_000).toISOString(), output_units: 1, cost_total: 0.2 };
  const second = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 120_000).toISOString(), output_units: 1, cost_total: 0.07 };
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => clientOf([first, second]) });
  await tracker.sync();
  expect(tracker.summary(0.25)).toMatchObject({ monthUsd: expect.closeTo(0.27, 6), basis: 'real', capReached: true });
  expect(tracker.jobCosts([jobId])).toEqual([{ jobId, usd: expect.closeTo(0.27, 6), source: 'billing_event' }]);
  // Dated by its first event; the units add up too.
  expect(db!.prepare("SELECT at, units FROM real_costs WHERE request_id = 'req-1'").get()).toEqual({ at: SENT + 60_000, units: 2 });
});

it('the same billing event listed twice counts once, and syncs run twice count it once', async () => {
  const { endpoint } = setup();
  const event = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 60_000).toISOString(), cost_total: 0.27 };
  const one = createSpendTracker({ db: db!, now: () => NOW, billing: () => clientOf([event, { ...event }]) });
  const other = createSpendTracker({ db: db!, now: () => NOW, billing: () => clientOf([event]) });
  await Promise.all([one.sync(), other.sync()]);
  await one.sync();
  expect(one.summary(null).monthUsd).toBeCloseTo(0.27, 6);
});

it("a request's further billing event listed after a first sync still adds up; a later answer missing one never lowers it", async () => {
  const { endpoint } = setup();
  const first = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 60_000).toISOString(), cost_total: 0.2 };
  const second = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 120_000).toISOString(), cost_total: 0.07 };
  let listed: BillingEvent[] = [first];
  const asked: string[][] = [];
  let now = SENT + 70_000;
  const client = {
    billingEvents: async (q: { requestIds?: readonly string[] }) => {
      asked.push([...(q.requestIds ?? [])]);
      return listed.map((e) => ({ ...e }));
    },
    account: async () => ({}),
  } as Partial<PlatformClient> as PlatformClient;
  const tracker = createSpendTracker({ db: db!, now: () => now, billing: () => client });
  await tracker.sync();
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.2, 6);
  listed = [first, second];
  now += 60_000;
  await tracker.sync();
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.27, 6);
  listed = [second];
  now += 60_000;
  await tracker.sync();
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.27, 6);
  // After the no-charge wait (2 h) it is asked again only once its age has doubled since it was last
  // read (a refund days later, spend/refund-days-later), never sync after sync.
  now += 3 * 3600_000;
  await tracker.sync();
  const calls = asked.length;
  now += 5 * 60_000;
  await tracker.sync();
  expect(asked.length).toBe(calls);
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.27, 6);
});
