// FAL's platform API answering 500 to the billing-events read: the balance was not read either (one
// failure ended the sync), and every later sync - every 5 minutes, for as long as it failed - asked
// the same request ids again. Now the balance is read whatever the charges' read did, a read that keeps
// failing is asked ever more rarely (up to an hour apart), the spend view says what failed and when the
// app asks again (never a key), and a new billing key is tried at once.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { READ_BACKOFF_MAX_MS } from '../../../src/core/spend/read-backoff';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const ADMIN = 'admin-key-0123456789';
const SENT = Date.UTC(2026, 11, 3, 9);
const SYNC_MS = 5 * 60_000;
let db: Database.Database | undefined;
afterEach(() => db?.close());

/** One finished FAL job whose real cost is not read yet ($0.30 estimated). */
function setup(): { endpoint: string; jobId: string } {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob()]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(SENT, SENT + 60_000, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, SENT);
  return { endpoint: job!.endpoint, jobId: job!.id };
}

/** FAL's platform API: each read answers 500 (echoing the key) while `down` says so. */
function platform(endpoint: string) {
  const down = { events: false, balance: false };
  const asked = { events: [] as number[], balance: [] as number[] };
  let clock = () => 0;
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const broken = () => json({ error: { type: 'server_error', message: `internal error for key ${ADMIN}` } }, 500);
  const fetch = (async (input: Parameters<typeof globalThis.fetch>[0]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/account/billing')) {
      asked.balance.push(clock());
      return down.balance ? broken() : json({ username: 'me', credits: { current_balance: 24.5, currency: 'USD' } });
    }
    asked.events.push(clock());
    if (down.events) return broken();
    const event = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 60_000).toISOString(), cost_total: 0.27 };
    return json({ billing_events: [event], next_cursor: null, has_more: false });
  }) as typeof globalThis.fetch;
  return { down, asked, client: createPlatformClient({ key: ADMIN, retries: 0, fetch }), setClock: (c: () => number) => (clock = c) };
}

it('a failing charges read: the balance is still read, the charges read backs off (bounded), the reason is shown without the key', async () => {
  const { endpoint, jobId } = setup();
  const fal = platform(endpoint);
  let now = SENT + 10 * 60_000;
  fal.setClock(() => now);
  const tracker = createSpendTracker({ db: db!, now: () => now, billing: () => fal.client });
  fal.down.events = true;

  await tracker.sync();
  const first = tracker.summary(null);
  expect(first.balanceUsd).toBe(24.5);
  expect(first.syncError).toMatch(/charges.*HTTP 500.*asks again in about \d+ min/);
  expect(first.syncError).not.toContain(ADMIN);
  expect(first.syncError).not.toMatch(/balance/);
  expect(first.monthUsd).toBeCloseTo(0.3); // the estimate stands

  // A day of syncs every 5 minutes while FAL keeps failing: asked ever more rarely, never more than
  // READ_BACKOFF_MAX_MS apart; the balance every time; the reason shown all along.
  const day = SENT + 10 * 60_000 + 24 * 3600_000;
  while (now < day) {
    now += SYNC_MS;
    await tracker.sync();
    expect(tracker.summary(null).syncError).toMatch(/charges.*HTTP 500/);
  }
  const tries = fal.asked.events;
  expect(tries.length).toBeLessThan(24 + 6);
  const gaps = tries.slice(1).map((at, i) => at - tries[i]!);
  expect(Math.max(...gaps)).toBeLessThanOrEqual(READ_BACKOFF_MAX_MS);
  expect(gaps).toEqual([...gaps].sort((a, b) => a - b)); // never sooner than the try before
  expect(fal.asked.balance).toHaveLength(24 * 12 + 1);
  expect(tracker.summary(null).syncError).toMatch(/\d+ tries in a row failed/);

  // FAL answers again: at the next try the charge counts and every sync reads again.
  fal.down.events = false;
  while (tracker.jobCosts([jobId]).length === 0 && now < day + READ_BACKOFF_MAX_MS + SYNC_MS) {
    now += SYNC_MS;
    await tracker.sync();
  }
  expect(tracker.jobCosts([jobId])).toEqual([{ jobId, usd: expect.closeTo(0.27, 6), source: 'billing_event' }]);
  expect(tracker.summary(null)).toMatchObject({ syncError: null, syncedAt: now });
});

it('a failing balance read backs off too; the charges are still read; a new key is tried at once', async () => {
  const { endpoint, jobId } = setup();
  const fal = platform(endpoint);
  let now = SENT + 10 * 60_000;
  fal.setClock(() => now);
  const tracker = createSpendTracker({ db: db!, now: () => now, billing: () => fal.client });
  fal.down.balance = true;

  await tracker.sync();
  expect(tracker.jobCosts([jobId])).toEqual([{ jobId, usd: expect.closeTo(0.27, 6), source: 'billing_event' }]);
  expect(tracker.summary(null)).toMatchObject({ balanceUsd: null, syncError: expect.stringMatching(/balance.*HTTP 500/) });
  now += SYNC_MS;
  await tracker.sync();
  now += SYNC_MS;
  await tracker.sync();
  expect(fal.asked.balance).toHaveLength(2); // the second failure doubled the wait
  expect(tracker.summary(null).syncError).not.toContain(ADMIN);

  // The user saves another billing key: FAL is asked at once.
  fal.down.balance = false;
  now += 1000;
  await tracker.sync({ retryNow: true });
  expect(fal.asked.balance).toHaveLength(3);
  expect(tracker.summary(null)).toMatchObject({ balanceUsd: 24.5, syncError: null });
});
