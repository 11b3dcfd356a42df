// Request-statistics benchmark: 100k recorded FAL requests (plus 10k rate limits) over 90 days in a
// real database file, then the Stats view's query (all time, last 30 days, last day) and the
// Prometheus export. Prints insert rate, file size and query times (median of 5 runs).
// Run: npm run bench:stats  (BENCH_REQUESTS to change the size)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE, openDatabase } from '../src/core/db/open';
import { createStatsReader, createStatsRecorder, toPrometheus } from '../src/core/stats';
import { REQUEST_STATUSES } from '../src/shared/stats';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const DAY = 86_400_000;
const ENDPOINTS = ['fal-ai/trellis', 'fal-ai/hunyuan3d-v21', 'tripo3d/tripo/v2.5/image-to-3d', 'fal-ai/hyper3d/rodin', 'fal-ai/trellis/multi'];
const ERRORS = ['server_error', 'run_failed', 'timeout', 'invalid_input', 'connection_lost'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
function time(label: string, fn: () => unknown, runs = 5): void {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const out = fn();
    times.push(performance.now() - start);
    size = typeof out === 'string' ? out.length : JSON.stringify(out).length;
  }
  console.log(`${label.padEnd(34)} ${median(times).toFixed(1).padStart(7)} ms  (${(size / 1024).toFixed(1)} KiB answer)`);
}

const dir = mkdtempSync(join(tmpdir(), 'i2m-stats-bench-'));
try {
  const db = openDatabase(dir);
  const recorder = createStatsRecorder(db);
  const now = Date.now();
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

  const insertStart = performance.now();
  // The engine records one outcome per commit; batching here only keeps the bench short.
  db.transaction(() => {
    for (let i = 0; i < REQUESTS; i++) {
      const finishedAt = now - Math.floor(random() * 90 * DAY);
      const status = random() < 0.85 ? 'succeeded' : REQUEST_STATUSES[1 + Math.floor(random() * 3)]!;
      recorder.recordRequestOutcome({
        jobId: `job-${i}`,
        endpoint: ENDPOINTS[Math.floor(random() * ENDPOINTS.length)]!,
        requestId: `req-${i}`,
        status,
        errorType: status === 'succeeded' ? null : ERRORS[Math.floor(random() * ERRORS.length)]!,
        startedAt: finishedAt - Math.floor(random() ** 2 * 900_000),
        finishedAt,
        billableUnits: status === 'succeeded' ? 1 : null,
        estimatedCostUsd: status === 'succeeded' ? 0.02 + Math.floor(random() * 4) * 0.1 : null,
      });
      if (i % 10 === 0) recorder.recordRateLimit(ENDPOINTS[i % ENDPOINTS.length]!, finishedAt);
    }
  })();
  const insertMs = performance.now() - insertStart;
  console.log(`inserted ${REQUESTS.toLocaleString('en')} requests in ${insertMs.toFixed(0)} ms (${((REQUESTS / insertMs) * 1000).toFixed(0)} rows/s, one transaction)`);

  const single: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    recorder.recordRequestOutcome({ jobId: 'x', endpoint: ENDPOINTS[0]!, requestId: null, status: 'failed', errorType: 'server_error', startedAt: now - 1000, finishedAt: now });
    single.push(performance.now() - start);
  }
  console.log(`one outcome, own commit (engine)     ${median(single).toFixed(2).padStart(7)} ms median of 200`);

  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = statSync(join(dir, DATABASE_FILE)).size;
  console.log(`database file                        ${(bytes / 1024 / 1024).toFixed(1).padStart(7)} MiB (${(bytes / REQUESTS).toFixed(0)} bytes per request)`);

  const reader = createStatsReader(db);
  time('report, all time', () => reader.report());
  time('report, last 30 days', () => reader.report({ from: now - 30 * DAY, to: now + 1 }));
  time('report, last day', () => reader.report({ from: now - DAY, to: now + 1 }));
  time('prometheus text, all time', () => toPrometheus(reader.report()));
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
