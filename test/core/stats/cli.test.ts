// `image2model stats` through the CLI's own entry point (argument parsing, output, exit code) on a
// seeded data folder. In-process: a child process per call costs seconds on a busy machine.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getMetricsFromIterator, type PromData, type PromHistogramData } from 'prom2javascript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli as runCliMain } from '../../../src/cli/main';
import { openDatabase } from '../../../src/core/db/open';
import { createStatsRecorder } from '../../../src/core/stats';
import { StatsReportSchema } from '../../../src/shared/stats';
import { TRELLIS, TRIPO, outcome } from './fixtures';

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await runCliMain(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

let root: string;
let dataDir: string;
/** The CLI's record of data folders that held a library: this test's own, removed with its folder. */
let record: string;
const now = Date.now();
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'i2m-stats-cli-'));
  dataDir = join(root, 'data');
  mkdirSync(dataDir);
  record = join(root, 'known-data-folders.json');
  vi.stubEnv('IMAGE2MODEL_KNOWN_FOLDERS', record);
  const db = openDatabase(dataDir);
  const recorder = createStatsRecorder(db);
  recorder.recordRequestOutcome(outcome({ finishedAt: now, durationS: 42, estimatedCostUsd: 0.02 }));
  recorder.recordRequestOutcome(outcome({ finishedAt: now, durationS: 3, status: 'failed', errorType: 'run_failed', estimatedCostUsd: null }));
  recorder.recordRequestOutcome(outcome({ finishedAt: now - 40 * 86_400_000, endpoint: TRIPO, durationS: 700, estimatedCostUsd: 0.3 }));
  recorder.recordRateLimit(TRELLIS, now);
  db.close();
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

describe('image2model stats', () => {
  it('--prometheus prints text a Prometheus parser reads, with all-time counters and the histogram', async () => {
    const { code, stdout } = await runCli(['stats', '--data-dir', dataDir, '--prometheus']);
    expect(code).toBe(0);
    const metrics = await getMetricsFromIterator(stdout.split('\n')[Symbol.iterator]());
    const requests = metrics.image2model_fal_requests_total?.data as PromData[];
    expect(requests.filter((m) => m.value > 0).map((m) => [m.labels.endpoint, m.labels.status, m.value])).toEqual([
      [TRELLIS, 'succeeded', 1],
      [TRELLIS, 'failed', 1],
      [TRIPO, 'succeeded', 1],
    ]);
    const histograms = metrics.image2model_fal_request_duration_seconds?.data as PromHistogramData[];
    expect(histograms.find((h) => h.labels.endpoint === TRIPO)?.buckets).toMatchObject({ '600': 0, '+Inf': 1 });
    expect((metrics.image2model_fal_rate_limits_total?.data as PromData[]).find((m) => m.labels.endpoint === TRELLIS)?.value).toBe(1);
  });

  it('--json prints the report; --days keeps to the last days', async () => {
    const all = await runCli(['stats', '--data-dir', dataDir, '--json']);
    expect(all.code).toBe(0);
    expect(StatsReportSchema.parse(JSON.parse(all.stdout)).models.map((m) => m.endpoint)).toEqual([TRELLIS, TRIPO]);
    const recent = StatsReportSchema.parse(JSON.parse((await runCli(['stats', '--data-dir', dataDir, '--json', '--days', '7'])).stdout));
    expect(recent.models.map((m) => [m.endpoint, m.requests, m.failed])).toEqual([[TRELLIS, 2, 1]]);
    expect(recent.errors).toEqual([{ endpoint: TRELLIS, errorType: 'run_failed', count: 1 }]);
  });

  it('prints a table with model names, errors and spend; says so when there is nothing yet', async () => {
    const { code, stdout } = await runCli(['stats', '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^FAL requests, all time/);
    expect(stdout).toMatch(/TRELLIS\s+2\s+1\s+1\s+0\s+0\s+1/i);
    expect(stdout).toContain('run_failed');
    expect(stdout).toContain('$0.32*');
    // Recorded in this test's record, not the one every test shares (nor the user's).
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({ folders: [dataDir] });
    mkdirSync(join(dataDir, 'empty')); // a folder that holds no library: an empty report (a missing one is a usage error)
    const empty = await runCli(['stats', '--data-dir', join(dataDir, 'empty')]);
    expect(empty.stdout).toBe('No FAL requests recorded yet.\n');
  });

  it('refuses a bad --days with a usage error', async () => {
    const { code, stderr } = await runCli(['stats', '--data-dir', dataDir, '--days', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/whole number of days/);
  });
});
