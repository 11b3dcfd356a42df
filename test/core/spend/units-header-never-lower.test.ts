// FAL's result answer read again (Download again, a result fetched twice) with FEWER billable units
// than the first read lowered the units and the cost recorded for that request: a charge FAL made was
// taken off the month's spend and the spending cap by a later read of the same, weakest source. The
// units FAL charged for a request do not change, so a request's units and cost from result headers
// never go down (the same rule billing events follow); a higher later read still counts.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { openDatabase, type Db } from '../../../src/core/db/open';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { reportBillableUnits } from '../../../src/core/spend/units';
import { newJob } from '../../support/new-job';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, type Harness } from '../engine/harness';

let h: Harness | undefined;
let db: Db | undefined;
afterEach(async () => {
  db?.close();
  await h?.close();
  h = db = undefined;
});

it("a result read again with fewer billable units does not lower the request's recorded units or cost", async () => {
  let record: (id: string, units: number) => void = () => undefined;
  const wrapped = reportBillableUnits(globalThis.fetch, (id, units) => record(id, units), (text) => text);
  h = await createHarness({ fake: { platform: { billableUnits: 3 } }, engine: { fetch: wrapped } });
  db = openDatabase(h.dataDir);
  const tracker = createSpendTracker({ db, billing: () => null, unitPrice: () => 0.1 });
  record = (id, units) => tracker.recordUnits(id, units);
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded'));
  await h.engine.waitForIdle();
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.3, 6), source: 'units_header' }]);
  const month = tracker.summary(null).monthUsd;

  // The same result read again through the engine's fetch; this time the header says 1 unit.
  h.fake.platform.set({ billableUnits: 1 });
  const readAgain = () =>
    wrapped(h!.fake.url, { headers: { 'x-fal-target-url': `https://queue.fal.run/tripo3d/tripo/requests/${job.falRequestId}`, authorization: `Key ${TEST_KEY}` } });
  expect((await readAgain()).headers.get('x-fal-billable-units')).toBe('1');
  expect(db.prepare('SELECT units, usd FROM real_costs WHERE request_id = ?').get(job.falRequestId)).toEqual({ units: 3, usd: expect.closeTo(0.3, 6) });
  expect(tracker.jobCosts([id])).toEqual([{ jobId: id, usd: expect.closeTo(0.3, 6), source: 'units_header' }]);
  expect(tracker.summary(null).monthUsd).toBeCloseTo(month, 6);
  expect(h.engine.stats.report().models[0]).toMatchObject({ billableUnits: 3, realUsd: expect.closeTo(0.3, 6) });

  // A later read with more units (the first was short) still raises them.
  h.fake.platform.set({ billableUnits: 4 });
  await readAgain();
  expect(db.prepare('SELECT units, usd FROM real_costs WHERE request_id = ?').get(job.falRequestId)).toEqual({ units: 4, usd: expect.closeTo(0.4, 6) });
});

it('a result header read again while no price is known keeps the cost an earlier read priced', () => {
  db = new Database(':memory:');
  migrate(db);
  const [job] = new JobStore(db).insertMany([newJob()]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1' WHERE id = ?").run(job!.id);
  let price: number | null = 0.1;
  const tracker = createSpendTracker({ db, billing: () => null, unitPrice: () => price });
  tracker.recordUnits('req-1', 2);
  // Read again before FAL's prices are loaded (another process, the CLI): the units alone.
  price = null;
  tracker.recordUnits('req-1', 2);
  expect(db.prepare("SELECT units, usd FROM real_costs WHERE request_id = 'req-1'").get()).toEqual({ units: 2, usd: expect.closeTo(0.2, 6) });
});
