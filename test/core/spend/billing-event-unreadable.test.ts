// One billing event FAL (or a proxy) lists with a cost that is no number - "0.20" as text - failed the
// check of the whole page: every billing sync failed, every time, and no request's real cost was ever
// read again. Each event is checked on its own now: that one is left out (described once in the log,
// never its own text), its request keeps its estimate and is not called "not charged", and the rest of
// the page counts.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const SENT = Date.UTC(2026, 11, 3, 9);
let db: Database.Database | undefined;
afterEach(() => db?.close());

function setup(requestIds: string[]): { endpoint: string; jobIds: string[] } {
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db).insertMany(requestIds.map(() => newJob()));
  requestIds.forEach((requestId, i) => {
    db!.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = ?, submitted_at = ?, finished_at = ? WHERE id = ?").run(requestId, SENT, SENT + 60_000, jobs[i]!.id);
    db!.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, ?)').run(jobs[i]!.id, SENT, requestId);
  });
  return { endpoint: jobs[0]!.endpoint, jobIds: jobs.map((j) => j.id) };
}

/** A platform client reading `events` as FAL's one page of billing events. */
function clientListing(events: () => unknown[]) {
  const answer = async () => new Response(JSON.stringify({ billing_events: events(), next_cursor: null, has_more: false }), { headers: { 'content-type': 'application/json' } });
  return createPlatformClient({
    key: 'admin-key-0123456789',
    retries: 0,
    fetch: (async (input: Parameters<typeof fetch>[0]) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.includes('/account/billing') ? new Response('{}') : answer();
    }) as typeof fetch,
  });
}

it('a billing event whose cost is not a number is left out; the rest of the page counts', async () => {
  const { endpoint, jobIds } = setup(['req-1', 'req-2']);
  const at = new Date(SENT + 60_000).toISOString();
  const garbled = { request_id: 'req-1', endpoint_id: endpoint, timestamp: at, cost_total: '0.20' };
  const listed = [garbled, { request_id: 'req-2', endpoint_id: endpoint, timestamp: at, cost_total: 0.45 }];
  const client = clientListing(() => listed);
  const warnings: string[] = [];
  let now = SENT + 10 * 60_000;
  const tracker = createSpendTracker({ db: db!, now: () => now, billing: () => client, logger: { warn: (m) => warnings.push(m) } });

  await tracker.sync();
  // req-2 counts FAL's $0.45; req-1 keeps its $0.30 estimate.
  expect(tracker.summary(null)).toMatchObject({ syncError: null, monthUsd: expect.closeTo(0.75, 6), basis: 'mixed' });
  expect(tracker.jobCosts(jobIds)).toEqual([{ jobId: jobIds[1], usd: expect.closeTo(0.45, 6), source: 'billing_event' }]);

  // Asked again, and long after it ended (past the 2 h no-charge wait): it is never called "not
  // charged" (that would take its $0.30 off the cap), and it is described once, not every sync.
  now += 3 * 3600_000;
  await tracker.sync();
  await tracker.sync();
  expect(tracker.summary(null)).toMatchObject({ syncError: null, monthUsd: expect.closeTo(0.75, 6) });
  const about = warnings.filter((w) => w.includes('req-1'));
  expect(about).toHaveLength(1);
  expect(about[0]).toContain('cost_total');
  expect(about[0]).not.toContain('0.20');
});

it("an unreadable event whose request is not known lets no request be called not charged", async () => {
  const { endpoint } = setup(['req-1', 'req-2']);
  const at = new Date(SENT + 60_000).toISOString();
  const listed = [{ request_id: 42, endpoint_id: endpoint, timestamp: at, cost_total: 0.3 }, { request_id: 'req-2', endpoint_id: endpoint, timestamp: at, cost_total: 0.45 }];
  const tracker = createSpendTracker({ db: db!, now: () => SENT + 3 * 3600_000, billing: () => clientListing(() => listed) });
  await tracker.sync();
  expect(tracker.summary(null)).toMatchObject({ syncError: null, monthUsd: expect.closeTo(0.75, 6) });
  expect(db!.prepare("SELECT COUNT(*) AS n FROM real_costs WHERE source = 'no_charge'").get()).toEqual({ n: 0 });
});
