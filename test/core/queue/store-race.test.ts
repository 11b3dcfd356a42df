// Several processes on one database file, as when the app and CLI runs share a data folder: each
// races the others to claim and drive jobs through real transitions. Every job is claimed exactly
// once and no write fails with SQLITE_BUSY (writers take the lock up front and retry).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/core/db/open';
import { JobStore } from '../../../src/core/queue/store';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'race-worker.ts');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function runWorker(dataDir: string, owner: string): Promise<{ claimed: string[]; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dataDir, owner], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker ${owner} exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as { claimed: string[]; errors: string[] });
    });
  });
}

describe('JobStore across processes', () => {
  it('three processes racing on one file claim every job exactly once, without busy errors', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'i2m-race-'));
    dirs.push(dataDir);
    const db = openDatabase(dataDir);
    const store = new JobStore(db);
    const ids = store
      .insertMany(
        Array.from({ length: 150 }, (_, i) => ({
          id: randomUUID(),
          endpoint: 'tripo3d/tripo/v2.5/image-to-3d',
          provider: 'fal' as const,
          preset: 'standard' as const,
          optionsJson: '{}',
          inputName: `in-${i}.png`,
          inputPath: `inputs/${i}.png`,
          inputSha256: `sha-${i}`,
          inputMime: 'image/png',
          maxAttempts: 5,
          createdAt: i,
          estimatedCostUsd: 0.3,
        })),
      )
      .map((row) => row.id);
    db.close();

    const results = await Promise.all(['a', 'b', 'c'].map((owner) => runWorker(dataDir, owner)));
    const claimed = results.flatMap((r) => r.claimed);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(claimed.sort()).toEqual([...ids].sort());

    const check = openDatabase(dataDir);
    const states = check.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all();
    const submitted = check.prepare('SELECT COUNT(*) AS n FROM jobs WHERE fal_request_id IS NOT NULL').get() as { n: number };
    check.close();
    expect(states).toEqual([{ state: 'failed', n: 150 }]);
    expect(submitted.n).toBe(150);
  }, 60_000);
});
