// The app and the CLI each sync billing (and read X-Fal-Billable-Units) in their own process, on one
// database file. A sync read a request's stored cost, then wrote its new total in a separate statement:
// another process's write landing in between was overwritten - a sync that saw fewer of a request's
// events ($0.20 of $0.27) stored its lower total, and a units header read beside a sync replaced the
// billing event it had just stored (the source rank was read apart too). The month's spend and the
// spending cap lost the difference. Two real connections on one file; the other process's write lands
// right before this one's write (between its read and its write), as it can across processes.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import type { BillingEvent, PlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { CostStore } from '../../../src/core/spend/costs';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { newJob } from '../../support/new-job';

const SENT = Date.UTC(2026, 11, 3, 9);
const NOW = SENT + 10 * 60_000;
let dir: string | undefined;
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function twoProcesses(): { mine: Database.Database; other: Database.Database; jobId: string; endpoint: string } {
  dir = mkdtempSync(join(tmpdir(), 'i2m-billing-race-'));
  const mine = openDatabase(dir);
  const other = openDatabase(dir);
  open.push(mine, other);
  const [job] = new JobStore(mine).insertMany([newJob()]);
  mine.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(SENT, SENT + 60_000, job!.id);
  mine.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, SENT);
  return { mine, other, jobId: job!.id, endpoint: job!.endpoint };
}

/** Runs `between` once, on its own connection, right before `db` first writes a real cost. */
function otherWritesFirst(db: Database.Database, between: () => void): void {
  const prepare = db.prepare.bind(db);
  let done = false;
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    if (!/^\s*INSERT INTO real_costs/i.test(sql)) return statement;
    const run = statement.run.bind(statement);
    statement.run = ((...args: unknown[]) => {
      if (!done) {
        done = true;
        between();
      }
      return run(...(args as Parameters<typeof run>));
    }) as typeof statement.run;
    return statement;
  }) as typeof db.prepare;
}

const clientOf = (events: BillingEvent[]) =>
  ({ billingEvents: async () => events.map((e) => ({ ...e })), account: async () => ({}) }) as Partial<PlatformClient> as PlatformClient;

it("a sync that saw fewer events does not overwrite the higher total another process stored meanwhile", async () => {
  const { mine, other, jobId, endpoint } = twoProcesses();
  const first = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 60_000).toISOString(), cost_total: 0.2 };
  // The other process's sync saw both events: $0.27, stored while this one was between its read and its write.
  otherWritesFirst(mine, () =>
    new CostStore(other).record({ requestId: 'req-1', jobId, endpoint, at: SENT + 60_000, units: null, usd: 0.27, source: 'billing_event' }),
  );
  const tracker = createSpendTracker({ db: mine, now: () => NOW, billing: () => clientOf([first]) });
  await tracker.sync();
  expect(tracker.summary(null).syncError).toBeNull();
  expect(other.prepare("SELECT usd, source FROM real_costs WHERE request_id = 'req-1'").get()).toEqual({ usd: expect.closeTo(0.27, 6), source: 'billing_event' });
  expect(tracker.summary(0.25)).toMatchObject({ monthUsd: expect.closeTo(0.27, 6), capReached: true });
});

it("units reported for a request do not replace the billing event another process stored meanwhile", () => {
  const { mine, other, jobId, endpoint } = twoProcesses();
  // Download again read X-Fal-Billable-Units here while the other process stored FAL's billed $0.45.
  otherWritesFirst(mine, () =>
    new CostStore(other).record({ requestId: 'req-1', jobId, endpoint, at: SENT + 60_000, units: 1, usd: 0.45, source: 'billing_event' }),
  );
  const tracker = createSpendTracker({ db: mine, now: () => NOW, billing: () => null, unitPrice: () => 0.1 });
  tracker.recordUnits('req-1', 1);
  expect(other.prepare("SELECT usd, source FROM real_costs WHERE request_id = 'req-1'").get()).toEqual({ usd: expect.closeTo(0.45, 6), source: 'billing_event' });
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.45, 6);
});
