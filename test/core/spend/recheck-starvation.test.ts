// A request's billing events are read again until 2 h after it ended (a further event FAL lists late).
// A sync asks about at most 500 requests, the most recently ended first - so with 500 requests read
// already that ended in the last 2 h (a batch running), those re-reads filled every sync, and a request
// whose cost was never read at all (ended earlier: the key was missing, FAL was down) was not asked
// about until the batch had been idle for 2 h. A busy app never got to it: its estimate stood for FAL's
// real cost, in the month's spend and against the cap. Requests with no cost read yet come first.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import type { BillingEvent, PlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const NOW = Date.UTC(2026, 11, 3, 10);
const RECENT = 500;
let db: Database.Database | undefined;
afterEach(() => db?.close());

it('a request whose cost was never read is asked about even while 500 recently billed requests are read again', async () => {
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db).insertMany(Array.from({ length: RECENT + 1 }, (_, i) => newJob({ inputSha256: `sha-${i}` })));
  const [old, ...recent] = jobs;
  const endpoint = old!.endpoint;
  const finish = db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = ?, submitted_at = ?, finished_at = ? WHERE id = ?");
  const estimate = db.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, ?)');
  const billed = db.prepare("INSERT INTO real_costs (request_id, job_id, endpoint, at, units, usd, source) VALUES (?, ?, ?, ?, 1, 0.3, 'billing_event')");
  db.transaction(() => {
    // Ended 3 h ago; its cost was never read (no billing key then).
    finish.run('req-old', NOW - 3 * 3600_000 - 60_000, NOW - 3 * 3600_000, old!.id);
    estimate.run(old!.id, NOW - 3 * 3600_000 - 60_000, 'req-old');
    recent.forEach((job, i) => {
      const at = NOW - 3600_000 + i * 1000;
      finish.run(`req-${i}`, at - 30_000, at, job.id);
      estimate.run(job.id, at - 30_000, `req-${i}`);
      billed.run(`req-${i}`, job.id, endpoint, at);
    });
  })();
  const asked = new Set<string>();
  const client = {
    billingEvents: async (q: { requestIds?: readonly string[] }) => {
      for (const id of q.requestIds ?? []) asked.add(id);
      const events: BillingEvent[] = [];
      if (q.requestIds?.includes('req-old')) {
        events.push({ request_id: 'req-old', endpoint_id: endpoint, timestamp: new Date(NOW - 3 * 3600_000).toISOString(), output_units: 1, cost_total: 0.5 });
      }
      return events;
    },
    account: async () => ({}),
  } as Partial<PlatformClient> as PlatformClient;
  const tracker = createSpendTracker({ db, now: () => NOW, billing: () => client });
  await tracker.sync();
  expect(asked.has('req-old')).toBe(true);
  expect(tracker.jobCosts([old!.id])).toEqual([{ jobId: old!.id, usd: expect.closeTo(0.5, 6), source: 'billing_event' }]);
  // The recent ones are still read again while there is room.
  expect(asked.size).toBe(RECENT);
});
