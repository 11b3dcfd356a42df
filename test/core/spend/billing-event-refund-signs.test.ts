// Refunds and billing events that cannot be real, read through the real client from the fake FAL.
// FAL documents no refund (FAL-PLATFORM.md: a billing event carries a request's units and cost; FAL
// bills successful output only); one may come as a further event of the same request with a negative
// cost (and units <= 0). That is kept: it lowers its request's cost, the job says it was refunded.
// What cannot be real is refused, its request keeping its estimate: an event whose units and cost
// point opposite ways (-5 units charged $0.10: stored as is, the statistics' units went below zero),
// and a request refunded more than it was charged (it was stored as $0, taking its estimate off).
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { chargedText, costSourceExplanation } from '../../../src/renderer/src/lib/cost-text';
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

it('a refund lowers its request to what is left and shows as refunded; a refund beyond the charge or units against the cost are refused', async () => {
  h = await createHarness({ fake: { platform: { adminKeys: [ADMIN], prices: { [TRIPO]: { unitPrice: 0.27 } }, billableUnits: 1 } } });
  const ids = [await addOne(h.engine), await addOne(h.engine), await addOne(h.engine)];
  const jobs = [];
  for (const id of ids) jobs.push(await waitForJob(h.engine, id, inState('succeeded')));
  await h.engine.waitForIdle();
  const [refunded, garbled, overRefunded] = jobs.map((job) => ({ request_id: job.falRequestId!, endpoint_id: TRIPO, timestamp: new Date(job.finishedAt! + 1000).toISOString() }));
  h.fake.platform.set({
    extraBillingEvents: [
      { ...refunded, output_units: -1, unit_price: 0.27, cost_subtotal: -0.27, cost_discount: 0, cost_total: -0.27 },
      { ...garbled, output_units: -5, unit_price: 0.27, cost_subtotal: 0.1, cost_discount: 0, cost_total: 0.1 },
      { ...overRefunded, output_units: 0, unit_price: 0.27, cost_subtotal: -0.5, cost_discount: 0, cost_total: -0.5 },
    ],
  });
  db = openDatabase(h.dataDir);
  const warnings: string[] = [];
  const tracker = createSpendTracker({
    db,
    billing: () => createPlatformClient({ key: ADMIN, proxyUrl: h!.fake.url, retries: 0 }),
    logger: { warn: (m) => void warnings.push(m) },
  });
  const estimate = tracker.summary(null).monthUsd / 3;
  await tracker.sync();

  const summary = tracker.summary(null);
  expect(summary.syncError).toBeNull();
  // The refunded job costs nothing; the other two keep their estimates (their costs are unknown).
  expect(summary.monthUsd).toBeCloseTo(2 * estimate, 6);
  const costs = tracker.jobCosts(ids);
  expect(costs).toEqual([{ jobId: ids[0], usd: 0, source: 'billing_event', refundedUsd: expect.closeTo(0.27, 6) }]);
  expect(chargedText(costs[0]!)).toBe('refunded (FAL billing)');
  expect(costSourceExplanation(costs[0]!)).toMatch(/refunded \$0\.27/);
  expect(db.prepare('SELECT COUNT(*) FROM real_costs WHERE units < 0 OR usd < 0').pluck().get()).toBe(0);
  // The refunded request gave its unit back; the garbled one keeps the unit of its readable event.
  expect(h.engine.stats.report().models[0]!.billableUnits).toBe(1);
  expect(warnings.join('\n')).toContain('output_units');
  expect(warnings.join('\n')).toMatch(/refunded more than it was charged/);
});

it('a partial refund: the job shows what is left charged and what was refunded', async () => {
  h = await createHarness({ fake: { platform: { adminKeys: [ADMIN], prices: { [TRIPO]: { unitPrice: 0.27 } }, billableUnits: 1 } } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded'));
  h.fake.platform.set({ extraBillingEvents: [{ request_id: job.falRequestId, endpoint_id: TRIPO, timestamp: new Date(job.finishedAt! + 1000).toISOString(), output_units: null, cost_total: -0.07 }] });
  db = openDatabase(h.dataDir);
  const tracker = createSpendTracker({ db, billing: () => createPlatformClient({ key: ADMIN, proxyUrl: h!.fake.url, retries: 0 }) });
  await tracker.sync();
  const [cost] = tracker.jobCosts([id]);
  expect(cost).toEqual({ jobId: id, usd: expect.closeTo(0.2, 6), source: 'billing_event', refundedUsd: expect.closeTo(0.07, 6) });
  expect(chargedText(cost!)).toBe('$0.20 charged, $0.07 refunded (FAL billing)');
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.2, 6);
});
