// Migration 26 on a library written at schema 25: before 040c98c a job whose model DOWNLOAD gave up ended
// server_error / connection_lost / timeout although FAL had made (and charged) the model, and migration 25
// took its estimate out of Stats as a possible charge. Its job kept FAL's answer for that request
// (jobs.result_output_json), which tells it apart from a job FAL never answered about: it now ends
// result_download_failed and counts as spent in Settings > Spending and Stats alike, once. A job without
// a kept answer for that request stays a possible charge, and an unreadable kept answer breaks nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate, schemaVersion } from '../../../src/core/db/migrations';
import { DATABASE_FILE, openDatabase } from '../../../src/core/db/open';
import { createSpendTracker } from '../../../src/core/spend/tracker';
import { createStatsReader } from '../../../src/core/stats';
import { localDay } from '../../../src/core/stats/day';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const NOW = Date.now();
const kept = (requestId: string) => JSON.stringify({ requestId, output: { model_mesh: { url: 'https://v3.fal.media/files/x/model.glb' } } });

interface OldRequest {
  requestId: string;
  status: 'succeeded' | 'failed';
  errorType: string | null;
  usd: number;
  /** As migration 25 left it: null for the three "gave up" codes. */
  estimate: number | null;
  /** The job's kept answer (result_output_json), if any. */
  keptJson: string | null;
  /** The job's current request id (another one after a Generate again). */
  jobRequest?: string;
  /** Another outcome of the same request (a Download again that later succeeded). */
  thenSucceeded?: boolean;
}

const OLD: OldRequest[] = [
  { requestId: 'req-ok', status: 'succeeded', errorType: null, usd: 0.3, estimate: 0.3, keptJson: kept('req-ok') },
  // Gave up downloading the model FAL made: its answer was kept.
  { requestId: 'req-dl-5xx', status: 'failed', errorType: 'server_error', usd: 0.4, estimate: null, keptJson: kept('req-dl-5xx') },
  { requestId: 'req-dl-cut', status: 'failed', errorType: 'connection_lost', usd: 0.5, estimate: null, keptJson: kept('req-dl-cut') },
  // The same, then a Download again that got the model: already counted by its succeeded outcome.
  { requestId: 'req-dl-again', status: 'failed', errorType: 'timeout', usd: 0.6, estimate: null, keptJson: kept('req-dl-again'), thenSucceeded: true },
  // FAL never answered about it: no answer kept. Stays a possible charge.
  { requestId: 'req-status-5xx', status: 'failed', errorType: 'server_error', usd: 0.7, estimate: null, keptJson: null },
  // The kept answer is of the job's later request, not this one.
  { requestId: 'req-old', status: 'failed', errorType: 'server_error', usd: 0.8, estimate: null, keptJson: kept('req-new'), jobRequest: 'req-new' },
  // A kept answer that is not JSON (damaged): left alone, the migration goes through.
  { requestId: 'req-damaged', status: 'failed', errorType: 'timeout', usd: 0.9, estimate: null, keptJson: '{"requestId": "req-damaged"' },
];

function buildSchema25Library(path: string): void {
  const old = new Database(path);
  expect(migrate(old, MIGRATIONS.slice(0, 25))).toBe(25);
  const at = NOW - 60_000;
  for (const r of OLD) {
    const jobId = `job-${r.requestId}`;
    old.prepare(
      `INSERT INTO jobs (id, state, endpoint, provider, preset, input_name, input_path, input_sha256, input_mime, fal_request_id, max_attempts,
         error_code, created_at, finished_at, estimated_cost_usd, result_output_json)
       VALUES (?, ?, 'fal-ai/trellis', 'fal', 'standard', 'a.png', '/in/a.png', 'sha', 'image/png', ?, 3, ?, ?, ?, ?, ?)`,
    ).run(jobId, r.thenSucceeded ? 'succeeded' : r.status, r.jobRequest ?? r.requestId, r.thenSucceeded ? null : r.errorType, at - 1000, at + 1000, r.usd, r.keptJson);
    old.prepare('INSERT INTO spend (job_id, at, usd, request_id) VALUES (?, ?, ?, ?)').run(jobId, at, r.usd, r.requestId);
    const outcome = old.prepare(
      `INSERT INTO fal_requests (job_id, endpoint, request_id, status, error_type, started_at, finished_at, duration_ms, day, estimated_cost_usd)
       VALUES (?, 'fal-ai/trellis', ?, ?, ?, ?, ?, 1000, ?, ?)`,
    );
    outcome.run(jobId, r.requestId, r.status, r.errorType, at, at + 1000, localDay(at + 1000), r.estimate);
    if (r.thenSucceeded) outcome.run(jobId, r.requestId, 'succeeded', null, at + 5000, at + 6000, localDay(at + 6000), r.usd);
  }
  old.close();
}

it('a schema-25 library: requests whose model download gave up count as spent again, in both views, once', () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-migration-26-'));
  buildSchema25Library(join(dir, DATABASE_FILE));

  const db = openDatabase(dir);
  try {
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const summary = createSpendTracker({ db, now: () => NOW, billing: () => null }).summary(null);
    const report = createStatsReader(db).report();
    const stats = report.models.reduce((sum, m) => sum + m.estimatedUsd + m.realUsd, 0);
    // Spent: req-ok, the two download give-ups, req-dl-again once. May be charged: the three FAL left unanswered.
    expect(summary.monthUsd).toBeCloseTo(0.3 + 0.4 + 0.5 + 0.6, 6);
    expect(stats).toBeCloseTo(summary.monthUsd, 6);
    expect(summary.possibleUsd).toBeCloseTo(0.7 + 0.8 + 0.9, 6);
    expect(db.prepare('SELECT request_id, status, error_type AS code, estimated_cost_usd AS est FROM fal_requests ORDER BY id').all()).toEqual([
      { request_id: 'req-ok', status: 'succeeded', code: null, est: 0.3 },
      { request_id: 'req-dl-5xx', status: 'failed', code: 'result_download_failed', est: 0.4 },
      { request_id: 'req-dl-cut', status: 'failed', code: 'result_download_failed', est: 0.5 },
      { request_id: 'req-dl-again', status: 'failed', code: 'result_download_failed', est: null },
      { request_id: 'req-dl-again', status: 'succeeded', code: null, est: 0.6 },
      { request_id: 'req-status-5xx', status: 'failed', code: 'server_error', est: null },
      { request_id: 'req-old', status: 'failed', code: 'server_error', est: null },
      { request_id: 'req-damaged', status: 'failed', code: 'timeout', est: null },
    ]);
    // Stats' day rows moved with them: no request counted under its old code, none lost. (req-dl-again is
    // counted once, by its later success: migration 28.)
    const days = db.prepare("SELECT error_type AS code, SUM(requests) AS n FROM fal_request_days WHERE status = 'failed' GROUP BY error_type ORDER BY error_type").all();
    expect(days).toEqual([
      { code: 'result_download_failed', n: 2 },
      { code: 'server_error', n: 2 },
      { code: 'timeout', n: 1 },
    ]);
    // The jobs say so too (a job whose later Download again succeeded is not failed any more).
    expect(db.prepare("SELECT id, error_code AS code FROM jobs WHERE state = 'failed' ORDER BY id").all()).toEqual([
      { id: 'job-req-damaged', code: 'timeout' },
      { id: 'job-req-dl-5xx', code: 'result_download_failed' },
      { id: 'job-req-dl-cut', code: 'result_download_failed' },
      { id: 'job-req-old', code: 'server_error' },
      { id: 'job-req-status-5xx', code: 'server_error' },
    ]);
  } finally {
    db.close();
  }
});
