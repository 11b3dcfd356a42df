// Estimates recorded before they named their FAL request (schema 15): migration 16 names the request
// where the row tells it (the job's current request, dated when it was submitted; a kept late request,
// dated as kept), and an estimate it cannot name goes only once its job has a real cost that no
// estimate names - a job sent again keeps its earlier request's estimate until that cost is known.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/core/db/migrations';
import { CostStore } from '../../../src/core/spend/costs';
import { newJob } from '../../support/new-job';
import { insertJobsAtOldSchema } from '../../support/old-schema-jobs';

let db: Database.Database | undefined;
afterEach(() => db?.close());

it('migration 16 names the request of old estimates where it can, and each estimate goes with its own request\'s cost', () => {
  db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 15));
  const [sentAgain, lateKept] = insertJobsAtOldSchema(db, [newJob({ inputSha256: 'a' }), newJob({ inputSha256: 'b' })]);
  // sentAgain: request A (estimate at 1000), Generate again at 1500 (A kept as past), request B submitted at 2000.
  db.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = 'req-b', submitted_at = 2000, finished_at = 2100 WHERE id = ?").run(sentAgain!.id);
  db.prepare("INSERT INTO job_past_requests (request_id, job_id, at) VALUES ('req-a', ?, 1500)").run(sentAgain!.id);
  // lateKept: a late answer nobody follows, kept at 3000 with its estimate.
  db.prepare("INSERT INTO job_past_requests (request_id, job_id, at) VALUES ('req-late', ?, 3000)").run(lateKept!.id);
  const spend = db.prepare('INSERT INTO spend (job_id, at, usd) VALUES (?, ?, ?)');
  spend.run(sentAgain!.id, 1000, 0.3);
  spend.run(sentAgain!.id, 2000, 0.3);
  spend.run(lateKept!.id, 3000, 0.3);

  migrate(db);
  expect(db.prepare('SELECT at, request_id AS requestId FROM spend ORDER BY at').all()).toEqual([
    { at: 1000, requestId: null },
    { at: 2000, requestId: 'req-b' },
    { at: 3000, requestId: 'req-late' },
  ]);

  const costs = new CostStore(db);
  expect(costs.totalsBetween(0, 10_000).usd).toBeCloseTo(0.9, 6);
  // B's cost replaces B's estimate only: A's (unnamed) stays, and A is asked about.
  costs.record({ requestId: 'req-b', jobId: sentAgain!.id, endpoint: null, at: 2000, units: 1, usd: 0.27, source: 'billing_event' });
  expect(costs.totalsBetween(0, 10_000)).toMatchObject({ usd: expect.closeTo(0.3 + 0.27 + 0.3, 6), basis: 'mixed' });
  expect(costs.unsettledRequests(10, 10_000).map((r) => r.requestId).sort()).toEqual(['req-a', 'req-late']);
  expect(costs.jobOfRequest('req-a')).toEqual({ jobId: sentAgain!.id, endpoint: sentAgain!.endpoint });
  // A's cost: the unnamed estimate goes.
  costs.record({ requestId: 'req-a', jobId: sentAgain!.id, endpoint: null, at: 1000, units: 1, usd: 0.27, source: 'billing_event' });
  expect(costs.totalsBetween(0, 10_000).usd).toBeCloseTo(0.27 + 0.27 + 0.3, 6);
  expect(costs.forJobs([sentAgain!.id]).get(sentAgain!.id)).toEqual({ usd: expect.closeTo(0.54, 6), source: 'billing_event' });
});
