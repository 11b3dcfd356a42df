// Billing events' units (output_units) and the units on FAL's result answers (X-Fal-Billable-Units)
// were stored as they came. 1e308 units (a garbled or hostile answer) on two requests summed to
// Infinity in the statistics' units; and a sync that read fewer of a request's events (another
// process's, or an answer that missed a page) lowered the units stored by an earlier one, though the
// cost it kept. Units beyond MAX_EVENT_UNITS are refused (the event like any unreadable one: its request
// keeps its estimate), and a request's units from billing events never go down.
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../src/core/db/migrations';
import { createPlatformClient } from '../../../src/core/fal/platform-client';
import { JobStore } from '../../../src/core/queue/store';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { createStatsRecorder } from '../../../src/core/stats/recorder';
import { createStatsReader } from '../../../src/core/stats/report';
import { newJob } from '../../support/new-job';

const SENT = Date.UTC(2026, 11, 3, 9);
const NOW = SENT + 10 * 60_000;
let db: Database.Database | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

/** Finished jobs with these request ids, each with its estimate and its outcome in the statistics. */
function setup(requestIds: string[]): { endpoint: string; jobIds: string[] } {
  db = new Database(':memory:');
  migrate(db);
  const jobs = new JobStore(db).insertMany(requestIds.map(() => newJob()));
  const recorder = createStatsRecorder(db);
  requestIds.forEach((requestId, i) => {
    db!.prepare("UPDATE jobs SET state = 'succeeded', fal_request_id = ?, submitted_at = ?, finished_at = ? WHERE id = ?").run(requestId, SENT, SENT + 60_000, jobs[i]!.id);
    db!.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, 0.3, ?)').run(jobs[i]!.id, SENT, requestId);
    recorder.recordRequestOutcome({ jobId: jobs[i]!.id, endpoint: jobs[i]!.endpoint, requestId, status: 'succeeded', startedAt: SENT, finishedAt: SENT + 60_000, estimatedCostUsd: 0.3 });
  });
  return { endpoint: jobs[0]!.endpoint, jobIds: jobs.map((job) => job.id) };
}

/** A billing client whose billing events are `events.current` (read on each call), `{}` for the account. */
function clientAnswering(events: { current: unknown[] }) {
  return createPlatformClient({
    key: 'admin-key-0123456789',
    retries: 0,
    fetch: (async (input: Parameters<typeof fetch>[0]) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return new Response(url.includes('/account/billing') ? '{}' : JSON.stringify({ billing_events: events.current, next_cursor: null, has_more: false }));
    }) as typeof fetch,
  });
}

const statsUnits = () => createStatsReader(db!).report().models[0]!.billableUnits;
const storedUnits = (requestId: string) => db!.prepare('SELECT units FROM real_costs WHERE request_id = ?').pluck().get(requestId);

it('billing events with 1e308 units are refused: the statistics stay finite and their requests keep their estimates', async () => {
  const { endpoint, jobIds } = setup(['req-1', 'req-2', 'req-3']);
  const at = new Date(SENT + 60_000).toISOString();
  const events = [
    { request_id: 'req-1', endpoint_id: endpoint, timestamp: at, output_units: 1e308, cost_total: 0.25 },
    { request_id: 'req-2', endpoint_id: endpoint, timestamp: at, output_units: 1e308, cost_total: 0.25 },
    { request_id: 'req-3', endpoint_id: endpoint, timestamp: at, output_units: 2, cost_total: 0.5 },
  ];
  const warnings: string[] = [];
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => clientAnswering({ current: events }), logger: { warn: (m) => void warnings.push(m) } });
  await tracker.sync();
  expect(statsUnits()).toBe(2);
  expect(tracker.summary(null)).toMatchObject({ syncError: null, monthUsd: expect.closeTo(0.3 + 0.3 + 0.5, 6) });
  expect(tracker.jobCosts(jobIds)).toEqual([{ jobId: jobIds[2], usd: 0.5, source: 'billing_event' }]);
  expect(warnings.join('\n')).toContain('output_units');
});

it('units on result answers beyond any count FAL makes are not recorded', () => {
  setup(['req-1', 'req-2']);
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => null, unitPrice: () => 0.1 });
  tracker.recordUnits('req-1', 1e308);
  tracker.recordUnits('req-2', 1e308);
  expect(storedUnits('req-1')).toBeUndefined();
  expect(statsUnits()).toBe(0);
});

it('a sync that reads fewer of a request\'s events does not lower its units', async () => {
  const { endpoint } = setup(['req-1']);
  const at = new Date(SENT + 60_000).toISOString();
  const first = { request_id: 'req-1', endpoint_id: endpoint, timestamp: at, output_units: 1, cost_total: 0.1 };
  const second = { request_id: 'req-1', endpoint_id: endpoint, timestamp: new Date(SENT + 90_000).toISOString(), output_units: 2, cost_total: 0.2 };
  const events = { current: [first, second] as unknown[] };
  const tracker = createSpendTracker({ db: db!, now: () => NOW, billing: () => clientAnswering(events) });
  await tracker.sync();
  expect(storedUnits('req-1')).toBe(3);
  expect(statsUnits()).toBe(3);

  // Asked again, the answer lists only the first event (a page missed; another process's older read).
  events.current = [first];
  await tracker.sync();
  expect(storedUnits('req-1')).toBe(3);
  expect(statsUnits()).toBe(3);
  expect(tracker.summary(null).monthUsd).toBeCloseTo(0.3, 6);

  // A further event listed later adds to them.
  events.current = [first, second, { ...second, timestamp: new Date(SENT + 120_000).toISOString(), output_units: 4, cost_total: 0.4 }];
  await tracker.sync();
  expect(storedUnits('req-1')).toBe(7);
  expect(statsUnits()).toBe(7);
});
