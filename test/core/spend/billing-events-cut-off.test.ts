// FAL's billing-events list that is cut off - a page saying "more" with no cursor to read it (a broken
// or hostile answer), or more pages than the client reads - was taken as the whole list: a long-finished
// request missing from it was recorded as not charged ($0), its estimate taken off the month's spend
// and the spending cap, though FAL may have charged it on the page never read. A cut-off list now
// proves no request was not charged; the charges it does list still count.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const ADMIN = 'admin-key-0123456789';
const IDS = ['3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b', '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d'];
const SENT = Date.UTC(2026, 11, 3, 6);
const NOW = SENT + 3 * 3600_000; // past the 2 h after which a request with no event counts as not charged
let db: Database.Database | undefined;
afterEach(() => db?.close());

function twoFinishedJobs(): void {
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db).insertMany([newJob({ inputSha256: 'a' }), newJob({ inputSha256: 'b' })]);
  jobs.forEach((job, i) => {
    db!.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = ?, submitted_at = ?, finished_at = ? WHERE id = ?").run(IDS[i], SENT, SENT + 60_000, job.id);
    db!.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, ?)').run(job.id, SENT, IDS[i]);
  });
}

/** FAL's platform API answering billing events with `page` (the first request's event), then `more`. */
function platform(more: { has_more: boolean; next_cursor: string | null }) {
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/account/billing')) return Response.json({ credits: { current_balance: 5, currency: 'USD' } });
    const event = { request_id: IDS[0], endpoint_id: 'fal-ai/trellis', timestamp: new Date(SENT + 60_000).toISOString(), output_units: 1, cost_total: 0.27 };
    return Response.json({ billing_events: url.searchParams.has('cursor') ? [] : [event], ...more });
  };
  return createPlatformClient({ key: ADMIN, fetch, retries: 0, maxPages: 3 });
}

it.each([
  ['"more" with no cursor', { has_more: true, next_cursor: null }],
  ['more pages than are read', { has_more: true, next_cursor: 'again' }],
])('a list cut off (%s) calls no request not charged; the charge it lists counts', async (_how, more) => {
  twoFinishedJobs();
  const warnings: string[] = [];
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => platform(more), logger: { warn: (m) => void warnings.push(m) } });
  await tracker.sync();
  // The first request's real charge and the second's estimate: it may be on the page never read.
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.27 + 0.3, 6);
  expect(db!.prepare("SELECT COUNT(*) FROM real_costs WHERE source = 'no_charge'").pluck().get()).toBe(0);
  expect(warnings.join('\n')).toMatch(/cut off/);
});

it('a list read to its end still settles a request with no event as not charged', async () => {
  twoFinishedJobs();
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => platform({ has_more: false, next_cursor: null }) });
  await tracker.sync();
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.27, 6);
});
