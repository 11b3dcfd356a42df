// A billing event (from the fake FAL) whose endpoint id is a megabyte of text: the event's model was
// stored in the database (real_costs.endpoint) whole. It is unreadable now like any garbled event: left
// out (described in the log, never its own text), its request keeps its estimate.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { startFakeFal, type FakeFal } from '../../fake-fal/server';
import { newJob } from '../../support/new-job';

const ADMIN = 'admin-key-0123456789';
let db: Database.Database | undefined;
let fake: FakeFal | undefined;
afterEach(async () => {
  db?.close();
  await fake?.close();
  db = fake = undefined;
});

it('an event whose endpoint id is a megabyte of text is left out and nothing of it is stored; the other event counts', async () => {
  const sent = Date.now() - 3600_000;
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db).insertMany([newJob(), newJob()]);
  ['req-1', 'req-2'].forEach((requestId, i) => {
    db!.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = ?, submitted_at = ?, finished_at = ? WHERE id = ?").run(requestId, sent, sent + 60_000, jobs[i]!.id);
    db!.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, ?)').run(jobs[i]!.id, sent, requestId);
  });
  const at = new Date(sent + 60_000).toISOString();
  const endpoint = jobs[0]!.endpoint;
  fake = await startFakeFal({
    platform: {
      adminKeys: [ADMIN],
      extraBillingEvents: [
        { request_id: 'req-1', endpoint_id: `fal-ai/${'x'.repeat(1_000_000)}`, timestamp: at, output_units: 1, cost_total: 0.2 },
        { request_id: 'req-2', endpoint_id: endpoint, timestamp: at, output_units: 1, cost_total: 0.45 },
      ],
    },
  });
  const warnings: string[] = [];
  const tracker = createSpendTracker({
    db,
    billing: () => createPlatformClient({ key: ADMIN, proxyUrl: fake!.url, retries: 0 }),
    logger: { warn: (m) => void warnings.push(m) },
  });
  await tracker.sync();
  // req-2 counts FAL's $0.45; req-1 keeps its $0.30 estimate.
  expect(tracker.summary(null)).toMatchObject({ syncError: null, monthUsd: expect.closeTo(0.75, 6) });
  expect(tracker.jobCosts(jobs.map((j) => j.id))).toEqual([{ jobId: jobs[1]!.id, usd: expect.closeTo(0.45, 6), source: 'billing_event' }]);
  expect(db.prepare('SELECT MAX(LENGTH(endpoint)) FROM real_costs').pluck().get()).toBeLessThan(200);
  expect(warnings.join('\n')).toContain('could not read (request req-1; endpoint_id: too_big');
  expect(warnings.join('\n').length).toBeLessThan(10_000);
});
