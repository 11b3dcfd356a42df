// A refund FAL lists only after a first sync counted the request's charge (FAL documents no refund:
// one comes as a further event of the same request with a negative cost, FAL-PLATFORM.md). Every
// answer read again was held never to lower what was counted (a page missed must not drop a charge),
// so a late refund was never taken off: the job said it was charged in full and the month's spend and
// the spending cap kept the money FAL gave back. It is taken off when the answer still lists every
// charge counted before; an answer missing one of those charges still never lowers the cost.
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { chargedText } from '../../../src/renderer/src/lib/cost-text';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../engine/harness';

const ADMIN = 'admin-key-0123456789';
const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
let h: Harness | undefined;
let db: Db | undefined;
afterEach(async () => {
  db?.close();
  await h?.close();
  h = db = undefined;
});

async function oneBilledJob(): Promise<{ id: string; event: { request_id: string; endpoint_id: string; timestamp: string } }> {
  h = await createHarness({ fake: { platform: { adminKeys: [ADMIN], prices: { [TRIPO]: { unitPrice: 0.27 } }, billableUnits: 1 } } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded'));
  await h.engine.waitForIdle();
  db = openDatabase(h.dataDir);
  return { id, event: { request_id: job.falRequestId!, endpoint_id: TRIPO, timestamp: new Date(job.finishedAt! + 1000).toISOString() } };
}

const trackerOf = () => createSpendTracker({ db: db!, billing: () => createPlatformClient({ key: ADMIN, proxyUrl: h!.fake.url, retries: 0 }) });

it('a refund listed after the charge was counted is taken off at the next sync, units and all', async () => {
  const { id, event } = await oneBilledJob();
  const tracker = trackerOf();
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.27, 6), source: 'billing_event' }]);
  expect(tracker.summary(0.25).capReached).toBe(true);

  // Within the re-read window, FAL lists the request's refund beside its charge.
  h!.fake.platform.set({ extraBillingEvents: [{ ...event, output_units: -1, unit_price: 0.27, cost_subtotal: -0.27, cost_discount: 0, cost_total: -0.27 }] });
  await tracker.sync();
  const costs = tracker.jobCosts([id]);
  expect(costs).toEqual([{ jobId: id, usd: 0, source: 'billing_event', refundedUsd: expect.closeTo(0.27, 6) }]);
  expect(chargedText(costs[0]!)).toBe('refunded (FAL billing)');
  expect(tracker.summary(0.25)).toMatchObject({ monthUsd: 0, capReached: false });
  expect(db!.prepare('SELECT units FROM real_costs WHERE request_id = ?').pluck().get(event.request_id)).toBe(0);

  // Read again with the refund still listed: nothing changes, nothing counts twice.
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual(costs);
});

it('a later answer with a refund but missing a charge counted before keeps the cost counted', async () => {
  const { id, event } = await oneBilledJob();
  const further = { ...event, timestamp: new Date(Date.parse(event.timestamp) + 1000).toISOString(), output_units: 0, cost_total: 0.1 };
  h!.fake.platform.set({ extraBillingEvents: [further] });
  const tracker = trackerOf();
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.37, 6), source: 'billing_event' }]);

  // The $0.10 charge is missing from this answer (a page missed): its refund of $0.10 is no proof.
  h!.fake.platform.set({ extraBillingEvents: [{ ...further, cost_total: -0.1 }] });
  await tracker.sync();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.37, 6), source: 'billing_event' }]);
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.37, 6);
});
