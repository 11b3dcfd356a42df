// The spend sync Settings waits for after a billing key is saved reads FAL's charges, then its balance.
// With FAL's platform API unreachable (a proxy that takes the connection and never answers), each read
// tried up to its call's deadline: the window waited two deadlines (60 s) for one answer. Once the
// charges read finds the API unreachable, the balance is not asked too; both say why, and both are
// asked again at the next sync.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import { newJob } from '../../support/new-job';

const ADMIN = 'admin-key-PLANTED-0123456789';
let db: Database.Database | undefined;
let fake: FakeFal | undefined;
afterEach(async () => {
  db?.close();
  await fake?.close();
  db = fake = undefined;
});

it('charges unreachable: the balance is not asked after them, and the sync says why for both', async () => {
  fake = await startFakeFal({ platform: { adminKeys: [ADMIN], balanceUsd: 12 } });
  db = new Database(':memory:');
  migrate(db);
  const sent = Date.now() - 3600_000;
  const [job] = new JobStore(db).insertMany([newJob()]);
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-1', submitted_at = ?, finished_at = ? WHERE id = ?").run(sent, sent + 60_000, job!.id);
  db.prepare("INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, 'req-1')").run(job!.id, sent);
  // Short tries and deadline in place of 20 s and 30 s.
  const client = createPlatformClient({ key: ADMIN, proxyUrl: fake.url, timeoutMs: 200, deadlineMs: 500, minTryMs: 100, baseDelayMs: 10 });
  const warnings: string[] = [];
  const tracker = createSpendTracker({ db, billing: () => client, logger: { warn: (m) => void warnings.push(m) } });
  const asked = (path: string) => fake!.requestsFor('platform').filter((r) => r.targetUrl.includes(path)).length;

  fake.script({ op: 'platform', fault: { kind: 'hang' }, times: Infinity });
  await tracker.sync({ retryNow: true });
  expect(asked('/billing-events')).toBeGreaterThan(0);
  expect(asked('/account/billing')).toBe(0);
  const error = tracker.summary(null).syncError ?? '';
  expect(error).toMatch(/FAL's charges per job: FAL's platform API could not be reached \(no answer within 1 s\)/);
  expect(error).toMatch(/FAL's balance: FAL's platform API could not be reached \(no answer within 1 s\)/);
  expect([error, ...warnings].join('\n')).not.toContain('PLANTED');

  // Reachable again: the next sync (a key saved again) reads both.
  fake.clearScript();
  await tracker.sync({ retryNow: true });
  expect(asked('/account/billing')).toBe(1);
  expect(tracker.summary(null)).toMatchObject({ syncError: null, balanceUsd: 12 });
});
