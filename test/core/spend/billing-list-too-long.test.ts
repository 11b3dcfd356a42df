// A billing-events list too long to read whole - pages beyond the platform client's 64 MiB list budget,
// or more pages than it follows (a broken or hostile answer, or a huge one): what was read of it must
// still count (FAL's charges on its first pages), no request missing from it is "not charged", and it is
// a failed read, asked again ever more rarely like any other (5, 10, 20, 40 min, then hourly). Before:
// the list over 64 MiB counted nothing, and the list cut off at the page limit counted as a read that
// worked - so that huge list was read again at every sync, every 5 minutes.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { READ_BACKOFF_FIRST_MS, READ_BACKOFF_MAX_MS } from '../../../src/core/spend/read-backoff';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const ADMIN = 'admin-key-0123456789';
const IDS = ['3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b', '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d'];
const SENT = Date.UTC(2026, 11, 3, 6);
const SYNC_MS = 5 * 60_000;
let db: Database.Database | undefined;
afterEach(() => db?.close());

/** Two finished jobs ($0.30 estimated each), ended long enough ago that one with no event is "not charged". */
function twoFinishedJobs(): string[] {
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db).insertMany([newJob({ inputSha256: 'a' }), newJob({ inputSha256: 'b' })]);
  jobs.forEach((job, i) => {
    db!.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = ?, submitted_at = ?, finished_at = ? WHERE id = ?").run(IDS[i], SENT, SENT + 60_000, job.id);
    db!.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, ?)').run(job.id, SENT, IDS[i]);
  });
  return jobs.map((job) => job.id);
}

/**
 * FAL's platform API whose billing-events list never ends: its first page lists the first request's
 * $0.27 charge, every page after it `pad` bytes of nothing, each with a cursor to the next. Counts the
 * times the list is started.
 */
function endlessList(pad: number, maxPages?: number) {
  const lists: number[] = [];
  let clock = () => 0;
  const filler = 'x'.repeat(pad);
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith('/account/billing')) return Response.json({ credits: { current_balance: 5, currency: 'USD' } });
    const cursor = url.searchParams.get('cursor');
    if (cursor === null) {
      lists.push(clock());
      const event = { request_id: IDS[0], endpoint_id: 'fal-ai/trellis', timestamp: new Date(SENT + 60_000).toISOString(), output_units: 1, cost_total: 0.27 };
      return Response.json({ billing_events: [event], next_cursor: 'c1', has_more: true });
    }
    const n = Number(cursor.slice(1));
    return new Response(`{"billing_events":[],"pad":"${filler}","next_cursor":"c${n + 1}","has_more":true}`, { headers: { 'content-type': 'application/json' } });
  };
  return { lists, setClock: (c: () => number) => (clock = c), client: createPlatformClient({ key: ADMIN, fetch, retries: 0, ...(maxPages ? { maxPages } : {}) }) };
}

it('a list over the 64 MiB budget: its first page counts, nothing is "not charged", and the next read waits longer each time', async () => {
  const [first, second] = twoFinishedJobs();
  const fal = endlessList(8 * 1024 * 1024); // 8 MiB pages, 20 followed: past 64 MiB on the 9th
  let now = SENT + 3 * 3600_000;
  fal.setClock(() => now);
  const tracker = createSpendTracker({ db: db!, now: () => now, billing: () => fal.client });

  await tracker.sync();
  expect(tracker.jobCosts([first!, second!])).toEqual([{ jobId: first, usd: expect.closeTo(0.27, 6), source: 'billing_event' }]);
  expect(tracker.summary(null)).toMatchObject({ monthUsd: expect.closeTo(0.27 + 0.3, 6), balanceUsd: 5, syncedAt: null, syncError: expect.stringMatching(/charges.*MiB.*asks again in about 5 min/) });
  expect(db!.prepare("SELECT COUNT(*) FROM real_costs WHERE source = 'no_charge'").pluck().get()).toBe(0);

  // Syncs every 5 minutes for 35 minutes: read again after 5 min, then after 10 more, then 20.
  for (let t = now + SYNC_MS; t <= SENT + 3 * 3600_000 + 35 * 60_000; t += SYNC_MS) {
    now = t;
    await tracker.sync();
  }
  const gaps = fal.lists.slice(1).map((at, i) => at - fal.lists[i]!);
  expect(gaps).toEqual([READ_BACKOFF_FIRST_MS, 2 * READ_BACKOFF_FIRST_MS, 4 * READ_BACKOFF_FIRST_MS]);
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.27 + 0.3, 6); // read three more times, counted once
}, 60_000);

it('a list with more pages than the client follows: counted as read, a failed read all day (asked ever more rarely)', async () => {
  const [first] = twoFinishedJobs();
  const fal = endlessList(10, 3);
  let now = SENT + 3 * 3600_000;
  fal.setClock(() => now);
  const warnings: string[] = [];
  const tracker = createSpendTracker({ db: db!, now: () => now, billing: () => fal.client, logger: { warn: (m) => void warnings.push(m) } });
  const day = now + 24 * 3600_000;
  for (; now < day; now += SYNC_MS) await tracker.sync();

  expect(tracker.jobCosts([first!])).toEqual([{ jobId: first, usd: expect.closeTo(0.27, 6), source: 'billing_event' }]);
  expect(tracker.summary(null)).toMatchObject({ monthUsd: expect.closeTo(0.27 + 0.3, 6), syncError: expect.stringMatching(/charges.*cut off.*tries in a row failed/) });
  expect(db!.prepare("SELECT COUNT(*) FROM real_costs WHERE source = 'no_charge'").pluck().get()).toBe(0);
  expect(fal.lists.length).toBeLessThan(24 + 6); // 288 before: every sync
  const gaps = fal.lists.slice(1).map((at, i) => at - fal.lists[i]!);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(READ_BACKOFF_MAX_MS);
  expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
  expect(warnings.join('\n')).not.toContain(ADMIN);
});
