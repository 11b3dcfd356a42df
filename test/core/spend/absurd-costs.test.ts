// A cost no request can have - 1e308 in a billing event (a garbled or hostile answer), units priced to
// overflow, a price list saying a unit costs 1e308 - was counted as is: two such costs summed to
// Infinity and the spending cap stayed reached for the rest of the month (no later event can lower
// Infinity). A cost beyond MAX_EVENT_USD ($1,000, see platform-schemas.ts) is refused: the request
// keeps its estimate, and every total stays finite.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { getModel } from '../../../src/core/models/catalog';
import { createPriceBook } from '../../../src/core/pricing/price-book';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const SENT = Date.UTC(2026, 11, 3, 9);
const NOW = SENT + 10 * 60_000;
let db: Database.Database | undefined;
let dir: string | undefined;
afterEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  db = dir = undefined;
});

function setup(requestIds: string[]): { endpoint: string } {
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db).insertMany(requestIds.map(() => newJob()));
  requestIds.forEach((requestId, i) => {
    db!.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = ?, submitted_at = ?, finished_at = ? WHERE id = ?").run(requestId, SENT, SENT + 60_000, jobs[i]!.id);
    db!.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, ?)').run(jobs[i]!.id, SENT, requestId);
  });
  return { endpoint: jobs[0]!.endpoint };
}

/** A platform client whose every answer is `body` (billing events, prices), `{}` for the account. */
function clientAnswering(body: unknown) {
  return createPlatformClient({
    key: 'admin-key-0123456789',
    retries: 0,
    fetch: (async (input: Parameters<typeof fetch>[0]) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return new Response(url.includes('/account/billing') ? '{}' : JSON.stringify(body));
    }) as typeof fetch,
  });
}

it('billing events costing 1e308 are refused: their requests keep their estimates and the month stays finite', async () => {
  const { endpoint } = setup(['req-1', 'req-2', 'req-3']);
  const at = new Date(SENT + 60_000).toISOString();
  const events = [
    { request_id: 'req-1', endpoint_id: endpoint, timestamp: at, cost_total: 1e308 },
    { request_id: 'req-2', endpoint_id: endpoint, timestamp: at, cost_total: 1e308 },
    { request_id: 'req-2', endpoint_id: endpoint, timestamp: at, cost_total: null, cost_estimate_nano_usd: 1e300 },
    { request_id: 'req-3', endpoint_id: endpoint, timestamp: at, cost_total: 0.45 },
  ];
  const client = clientAnswering({ billing_events: events, next_cursor: null, has_more: false });
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => client });
  await tracker.sync();
  const summary = tracker.summary(100);
  expect(Number.isFinite(summary.monthUsd)).toBe(true);
  expect(summary).toMatchObject({ syncError: null, monthUsd: expect.closeTo(0.3 + 0.3 + 0.45, 6), capReached: false });
});

it('units that price beyond any charge keep the estimate instead of Infinity', () => {
  setup(['req-1', 'req-2']);
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => null, unitPrice: () => 10 });
  tracker.recordUnits('req-1', 1e308);
  tracker.recordUnits('req-2', 1e308);
  expect(tracker.summary(100)).toMatchObject({ monthUsd: expect.closeTo(0.6, 6), capReached: false });
});

it('a price list saying one unit costs 1e308 is not used for estimates', async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-absurd-price-'));
  const tripo = getModel('tripo3d/tripo/v2.5/image-to-3d')!;
  const client = clientAnswering({ prices: [{ endpoint_id: tripo.id, unit_price: 1e308, unit: 'generation', currency: 'USD' }], next_cursor: null, has_more: false });
  const book = createPriceBook({ dataDir: dir, platform: () => client, now: () => NOW });
  expect(await book.refresh()).toMatchObject({ ok: true });
  expect(book.estimate(tripo, 'high', {})).toEqual({ usd: tripo.estimateCostUsd('high', {}), source: 'built_in', asOf: null });
  expect(book.unitPrice(tripo.id)).toBeNull();
});
