// A billing event with a negative cost (a refund) lowers its request's cost, never below $0: a request
// costs at least nothing (one refunded beyond its charges keeps its estimate: billing-event-refund-signs). Stored as it came, an event of -$0.50 (garbled, or a refund whose charge was
// not in the answer) took other requests' real charges off the month's spend and reopened a reached
// spending cap - the cap let more paid jobs go while FAL had charged the full amount.
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

/** Two finished jobs, req-1 and req-2, each with its $0.30 estimate. */
function setup(): string[] {
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db).insertMany([newJob(), newJob()]);
  jobs.forEach((job, i) => {
    db!.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = ?, submitted_at = ?, finished_at = ? WHERE id = ?").run(`req-${i + 1}`, SENT, SENT + 60_000, job.id);
    db!.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, ?)').run(job.id, SENT, `req-${i + 1}`);
  });
  return jobs.map((job) => job.id);
}

const at = (ms: number) => new Date(ms).toISOString();
const trackerWith = (events: BillingEvent[]) =>
  createSpendTracker({
    db: db!,
    now: () => NOW,
    billing: () => ({ billingEvents: async () => events, account: async () => ({}) }) as Partial<PlatformClient> as PlatformClient,
  });

it("a request's negative cost takes nothing off other requests' charges: the reached cap stays reached", async () => {
  const ids = setup();
  const tracker = trackerWith([
    { request_id: 'req-1', endpoint_id: 'e', timestamp: at(SENT + 60_000), cost_total: 0.27 },
    { request_id: 'req-2', endpoint_id: 'e', timestamp: at(SENT + 60_000), cost_total: -0.5 },
  ]);
  expect(tracker.summary(0.25).capReached).toBe(true);
  await tracker.sync();
  const summary = tracker.summary(0.25);
  // req-2 refunded more than it was charged: no account FAL keeps, so its cost is unknown and it keeps
  // its $0.30 estimate (it was stored as $0 before, taking that off the month's spend).
  expect(summary.monthUsd).toBeCloseTo(0.27 + 0.3, 6);
  expect(summary.capReached).toBe(true);
  expect(tracker.jobCosts(ids).map((c) => c.usd)).toEqual([expect.closeTo(0.27, 6)]);
  // No cost below nothing is stored (the Stats view reads the stored cost).
  expect(db!.prepare("SELECT usd FROM real_costs WHERE request_id = 'req-2'").get()).toEqual({ usd: null });
});

it('a refund of a request FAL charged takes its charge off, down to $0', async () => {
  setup();
  const tracker = trackerWith([
    { request_id: 'req-1', endpoint_id: 'e', timestamp: at(SENT + 60_000), cost_total: 0.27 },
    { request_id: 'req-1', endpoint_id: 'e', timestamp: at(SENT + 120_000), cost_total: -0.27 },
    { request_id: 'req-2', endpoint_id: 'e', timestamp: at(SENT + 60_000), cost_total: 0.27 },
  ]);
  await tracker.sync();
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.27, 6);
});

it('a negative cost stored before (an older version kept it as it came) takes nothing off either', () => {
  setup();
  db!.prepare("INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES ('req-1', NULL, 'e', ?, 1, 0.27, 'billing_event')").run(SENT);
  db!.prepare("INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES ('req-2', NULL, 'e', ?, 1, -0.5, 'billing_event')").run(SENT);
  const summary = trackerWith([]).summary(0.25);
  expect(summary.monthUsd).toBeCloseTo(0.27, 6);
  expect(summary.capReached).toBe(true);
});
