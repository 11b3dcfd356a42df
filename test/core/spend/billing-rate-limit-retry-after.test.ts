// FAL's platform API answering the spend sync's reads with 429 and a Retry-After: the sync asked again
// 5 minutes later (its own back-off), whatever wait FAL asked for. It now waits for the Retry-After
// when that is longer than its back-off, bounded by the back-off's longest wait (an hour), so a bogus
// header cannot stop the reads for days.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { READ_BACKOFF_MAX_MS } from '../../../src/core/spend/read-backoff';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import { newJob } from '../../support/new-job';

const ADMIN = 'admin-key-0123456789';
const SYNC_MS = 5 * 60_000;
let db: Database.Database | undefined;
let fake: FakeFal | undefined;
afterEach(async () => {
  db?.close();
  await fake?.close();
  db = fake = undefined;
});

/** One finished FAL job whose real cost is not read yet, and a tracker on the fake platform API with a clock the test moves. */
async function setup() {
  fake = await startFakeFal({ processingMs: 20, platform: { adminKeys: [ADMIN] } });
  db = new Database(':memory:');
  migrate(db);
  const sent = Date.now() - 3600_000;
  const [job] = new JobStore(db).insertMany([newJob()]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(sent, sent + 60_000, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, sent);
  const clock = { now: Date.now() };
  const client = createPlatformClient({ key: ADMIN, proxyUrl: fake.url, retries: 0 });
  const tracker = createSpendTracker({ db, now: () => clock.now, billing: () => client });
  const eventReads = () => fake!.requestsFor('platform').filter((r) => r.targetUrl.includes('/billing-events')).length;
  return { clock, tracker, eventReads };
}

/** Syncs every 5 minutes from now for `forMs`; when the charges were read again (ms after the start), or null. */
async function nextRead(s: Awaited<ReturnType<typeof setup>>, forMs: number): Promise<number | null> {
  const start = s.clock.now;
  const before = s.eventReads();
  while (s.clock.now - start < forMs) {
    s.clock.now += SYNC_MS;
    await s.tracker.sync();
    if (s.eventReads() > before) return s.clock.now - start;
  }
  return null;
}

it('a 429 with Retry-After: 30 min is not asked again for 30 min, and the reason says when', async () => {
  const s = await setup();
  fake!.script({ op: 'platform', fault: { kind: 'rateLimit', retryAfter: 1800 }, times: 2 }); // the charges and the balance
  await s.tracker.sync();
  expect(s.eventReads()).toBe(1);
  expect(s.tracker.summary(null).syncError).toMatch(/slow down.*asks again in about 30 min/);
  expect(await nextRead(s, 2 * 3600_000)).toBe(30 * 60_000);
  expect(s.tracker.summary(null).syncError).toBeNull();
});

it('a Retry-After of a day is held to the longest back-off (an hour)', async () => {
  const s = await setup();
  fake!.script({ op: 'platform', fault: { kind: 'rateLimit', retryAfter: 86_400 }, times: 2 });
  await s.tracker.sync();
  expect(await nextRead(s, 3 * 3600_000)).toBe(READ_BACKOFF_MAX_MS);
});

it('a Retry-After shorter than the back-off does not make the app ask sooner', async () => {
  const s = await setup();
  fake!.script({ op: 'platform', fault: { kind: 'rateLimit', retryAfter: 1 }, times: 2 });
  await s.tracker.sync();
  expect(await nextRead(s, 3600_000)).toBe(SYNC_MS);
});
