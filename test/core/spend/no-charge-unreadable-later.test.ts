// A request taken as not charged (no billing event 2 h after it ended) is read again for 30 days, as
// FAL documents no delay before a charge is listed (FAL-PLATFORM.md; charge-listed-late). When such a
// re-read lists a charge for it that the app cannot read (a cost that is no number), its "not charged,
// $0" stood: the unreadable event was left out and nothing replaced the $0, so the month's spend and the
// spending cap kept missing what FAL now lists. Its cost is now unknown again: its estimate counts until
// FAL's event can be read.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import type { PlatformClient, UnreadableBillingEvent } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const HOUR = 3600_000;
const ENDED = Date.UTC(2026, 11, 1, 10);
let db: Database.Database | undefined;
afterEach(() => db?.close());

it('a charge listed late that cannot be read brings the estimate back; once readable, it counts', async () => {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob({ inputSha256: 'sha-unreadable-late' })]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(ENDED - 60_000, ENDED, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, ENDED - 60_000);
  const listed = { as: 'nothing' as 'nothing' | 'unreadable' | 'readable' };
  const client = {
    billingEvents: async (q: { requestIds?: readonly string[]; onUnreadable?: (event: UnreadableBillingEvent) => void }) => {
      if (!q.requestIds?.includes('req-1') || listed.as === 'nothing') return [];
      if (listed.as === 'unreadable') {
        q.onUnreadable?.({ requestId: 'req-1', problem: 'cost_total is not a number', fingerprint: 'f1' });
        return [];
      }
      return [{ request_id: 'req-1', endpoint_id: job!.endpoint, timestamp: new Date(ENDED).toISOString(), output_units: 1, cost_total: 0.28 }];
    },
    account: async () => ({}),
  } as Partial<PlatformClient> as PlatformClient;
  let now = ENDED + 3 * HOUR;
  const tracker = createSpendTracker({ db, now: () => now, billing: () => client });
  const month = () => tracker.spendBetween(ENDED - 24 * HOUR, ENDED + 10 * 24 * HOUR);

  await tracker.sync();
  expect(tracker.jobCosts([job!.id])).toEqual([{ jobId: job!.id, usd: 0, source: 'no_charge' }]);
  expect(month()).toBe(0);

  listed.as = 'unreadable';
  now = ENDED + 24 * HOUR;
  await tracker.sync();
  expect(tracker.jobCosts([job!.id])).toEqual([]);
  expect(month()).toBeCloseTo(0.3, 6); // the estimate, not $0

  listed.as = 'readable';
  now = ENDED + 3 * 24 * HOUR;
  await tracker.sync();
  expect(tracker.jobCosts([job!.id])).toEqual([{ jobId: job!.id, usd: expect.closeTo(0.28, 6), source: 'billing_event' }]);
  expect(month()).toBeCloseTo(0.28, 6);
});
