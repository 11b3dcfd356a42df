// Real spend: with an admin key the per-job cost and the totals are FAL's billing events and the
// balance is FAL's; X-Fal-Billable-Units adds real units meanwhile; without the key everything
// stays on estimates, labelled as such.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { reportBillableUnits } from '../../../src/core/spend/units';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../engine/harness';

const ADMIN = 'admin-key-0123456789';
let h: Harness | undefined;
let db: Db | undefined;
afterEach(async () => {
  db?.close();
  await h?.close();
  h = db = undefined;
});

describe('spend tracker', () => {
  it('shows FAL billing events per job, real totals and the balance with the billing key', async () => {
    h = await createHarness({
      fake: { platform: { adminKeys: [ADMIN], prices: { 'tripo3d/tripo/v2.5/image-to-3d': { unitPrice: 0.27 } }, billableUnits: 1, balanceUsd: 20 } },
    });
    const ids = [await addOne(h.engine), await addOne(h.engine)];
    for (const id of ids) await waitForJob(h.engine, id, inState('succeeded'));
    db = openDatabase(h.dataDir);
    let billingKey: string | null = null;
    const tracker = createSpendTracker({ db, billing: () => (billingKey ? createPlatformClient({ key: billingKey, proxyUrl: h!.fake.url, retries: 0 }) : null) });

    const before = tracker.summary(1);
    expect(before).toMatchObject({ basis: 'estimate', billingKey: false, balanceUsd: null });
    expect(before.monthUsd).toBeCloseTo(0.6); // the built-in estimates, $0.30 each
    expect(tracker.jobCosts(ids)).toEqual([]);

    billingKey = ADMIN;
    await tracker.sync();
    const events = h.fake.platform.billingEvents();
    expect(events).toHaveLength(2);
    const costs = tracker.jobCosts(ids);
    expect(costs.map((c) => c.usd)).toEqual([0.27, 0.27]);
    expect(costs.every((c) => c.source === 'billing_event')).toBe(true);
    const after = tracker.summary(0.5);
    expect(after).toMatchObject({ basis: 'real', billingKey: true, capReached: true, syncError: null });
    expect(after.monthUsd).toBeCloseTo(0.54);
    expect(after.todayUsd).toBeCloseTo(0.54);
    expect(after.balanceUsd).toBeCloseTo(h.fake.platform.balanceUsd());
    expect(after.balanceUsd).toBeCloseTo(20 - 0.54);
    expect(tracker.spendBetween(0, Date.now() + 1)).toBeCloseTo(0.54);
  });

  it('an ordinary key as billing key: the reason is shown and estimates stay', async () => {
    h = await createHarness();
    await waitForJob(h.engine, await addOne(h.engine), inState('succeeded'));
    db = openDatabase(h.dataDir);
    const tracker = createSpendTracker({ db, billing: () => createPlatformClient({ key: 'test-key-1234567890', proxyUrl: h!.fake.url, retries: 0 }) });
    await tracker.sync();
    expect(tracker.summary(null)).toMatchObject({ basis: 'estimate', balanceUsd: null, syncError: expect.stringMatching(/not allowed/) });
  });

  it('records the units FAL reports on result answers (X-Fal-Billable-Units) at its listed price', async () => {
    let record: (id: string, units: number) => void = () => undefined;
    h = await createHarness({
      fake: { platform: { billableUnits: 3 } },
      engine: { fetch: reportBillableUnits(globalThis.fetch, (id, units) => record(id, units), (text) => text) },
    });
    db = openDatabase(h.dataDir);
    const tracker = createSpendTracker({ db, billing: () => null, unitPrice: () => 0.1 });
    const seen: [string, number][] = [];
    record = (id, units) => {
      seen.push([id, units]);
      tracker.recordUnits(id, units);
    };
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('succeeded'));
    expect(seen).toEqual([[job.falRequestId, 3]]);
    expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.3, 6), source: 'units_header' }]);
  });
  it('a result fetched again later (Download again next month) keeps its charge in the month it was made, counted once', async () => {
    let record: (id: string, units: number) => void = () => undefined;
    h = await createHarness({
      fake: { platform: { billableUnits: 3 } },
      engine: { fetch: reportBillableUnits(globalThis.fetch, (id, units) => record(id, units), (text) => text) },
    });
    db = openDatabase(h.dataDir);
    let clock = Date.now();
    const tracker = createSpendTracker({ db, billing: () => null, unitPrice: () => 0.1, now: () => clock });
    record = (id, units) => tracker.recordUnits(id, units);
    const id = await addOne(h.engine);
    const job = await waitForJob(h.engine, id, inState('succeeded'));
    const made = new Date(clock);
    const thisMonth = new Date(made.getFullYear(), made.getMonth(), 1).getTime();
    const nextMonth = new Date(made.getFullYear(), made.getMonth() + 1, 1).getTime();
    expect(tracker.spendBetween(thisMonth, nextMonth)).toBeCloseTo(0.3, 6);

    // FAL's result answer read again 40 days on, with the same units header.
    clock = made.getTime() + 40 * 24 * 3600_000;
    tracker.recordUnits(job.falRequestId!, 3);
    expect(tracker.spendBetween(thisMonth, nextMonth)).toBeCloseTo(0.3, 6);
    expect(tracker.spendBetween(nextMonth, clock + 1)).toBe(0);
    expect(tracker.summary(null).monthUsd).toBe(0);
    expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.3, 6), source: 'units_header' }]);
  });

  it('a job sent again (Generate again) pays for both requests: each estimate stays until its own request\'s cost is known, and both costs are read', async () => {
    h = await createHarness({
      fake: { platform: { adminKeys: [ADMIN], prices: { 'tripo3d/tripo/v2.5/image-to-3d': { unitPrice: 0.27 } }, billableUnits: 1 } },
    });
    // FAL made (and charged) the first model, whose link never works: the job fails holding that request.
    h.fake.script({ op: 'file', fault: { kind: 'expired' }, times: Infinity });
    const id = await addOne(h.engine);
    const first = await waitForJob(h.engine, id, inState('failed', 'succeeded', 'needs_attention'), 20_000);
    expect(first).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
    h.fake.clearScript();
    await h.engine.retry(id, { mode: 'generate', confirm: true });
    const second = await waitForJob(h.engine, id, (job) => job.state === 'succeeded' || (job.state === 'failed' && job.falRequestId !== first.falRequestId));
    expect(second.state).toBe('succeeded');
    expect(second.falRequestId).not.toBe(first.falRequestId);
    expect(h.fake.submissions).toHaveLength(2);

    db = openDatabase(h.dataDir);
    let billingKey: string | null = null;
    const tracker = createSpendTracker({
      db,
      billing: () => (billingKey ? createPlatformClient({ key: billingKey, proxyUrl: h!.fake.url, retries: 0 }) : null),
      unitPrice: () => 0.25,
    });
    expect(tracker.summary(null).monthUsd).toBeCloseTo(0.6, 6); // two estimates of $0.30
    // The later request's real cost is known (its units): only its own estimate goes.
    tracker.recordUnits(second.falRequestId!, 1);
    expect(tracker.summary(null)).toMatchObject({ basis: 'mixed', monthUsd: expect.closeTo(0.3 + 0.25, 6) });

    // With the billing key, FAL's charge of each request is read, the replaced one's too.
    billingKey = ADMIN;
    await tracker.sync();
    expect(h.fake.platform.billingEvents().map((e) => e.request_id).sort()).toEqual([first.falRequestId, second.falRequestId].sort());
    expect(tracker.summary(null)).toMatchObject({ basis: 'real', monthUsd: expect.closeTo(0.54, 6), syncError: null });
    expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.54, 6), source: 'billing_event' }]);
  });
});
