// A billing event's timestamp dates FAL's real cost, which replaces the request's estimate: a date
// that cannot be the charge's (before the request was sent, after now - a garbled "0" reads as the
// year 2000, a wrong clock or format as 2099) moved the cost out of this month while the estimate
// went: the month's spend and the spending cap lost it. The date is held between the send and now.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import type { PlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const NOW = Date.UTC(2026, 11, 3, 10);
const SENT = NOW - 3600_000;
let db: Database.Database | undefined;
afterEach(() => db?.close());

for (const timestamp of ['0', '2099-01-01T00:00:00Z', '1999-12-31T23:00:00Z']) {
  it(`a charge dated ${JSON.stringify(timestamp)} counts in the month it was made`, async () => {
    db = new Database(':memory:');
    migrate(db);
    const [job] = new JobStore(db).insertMany([newJob()]);
    db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(SENT, SENT + 60_000, job!.id);
    db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, SENT);
    const client = {
      billingEvents: async () => [{ request_id: 'req-1', endpoint_id: job!.endpoint, timestamp, cost_total: 0.27 }],
      account: async () => ({}),
    } as Partial<PlatformClient> as PlatformClient;
    const tracker = createSpendTracker({ db, now: () => NOW, billing: () => client });
    expect(tracker.summary(0.25)).toMatchObject({ monthUsd: 0.3, capReached: true });
    await tracker.sync();
    expect(tracker.summary(0.25)).toMatchObject({ monthUsd: expect.closeTo(0.27, 6), basis: 'real', capReached: true });
    const { at } = db.prepare("SELECT at FROM real_costs WHERE request_id = 'req-1'").get() as { at: number };
    expect(at).toBeGreaterThanOrEqual(SENT);
    expect(at).toBeLessThanOrEqual(NOW);
  });
}

it('a charge dated inside its window keeps its own date', async () => {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob()]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(SENT, SENT + 60_000, job!.id);
  const charged = new Date(SENT + 90_000).toISOString();
  const client = {
    billingEvents: async () => [{ request_id: 'req-1', endpoint_id: job!.endpoint, timestamp: charged, cost_total: 0.27 }],
    account: async () => ({}),
  } as Partial<PlatformClient> as PlatformClient;
  await createSpendTracker({ db, now: () => NOW, billing: () => client }).sync();
  expect(db.prepare("SELECT at FROM real_costs WHERE request_id = 'req-1'").get()).toEqual({ at: SENT + 90_000 });
});
