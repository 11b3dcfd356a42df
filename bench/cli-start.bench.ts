// CLI start-up benchmark: the real bin (`node bin/image2model.mjs`, as `npx image2model` runs it) from
// spawn to exit for commands that make no model - `--version`, `--help` and `list` on an empty library
// - 10 runs each. Prints the median and p95 per command. Everything it makes is in one temp folder,
// removed at the end - the CLI's record of data folders too (IMAGE2MODEL_KNOWN_FOLDERS), never the user's.
// Run: npm run bench:cli  (BENCH_RUNS to change the number of runs)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/core/db/open';
import { KNOWN_FOLDERS_ENV } from '../src/core/data-folder-record';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BIN = join(process.cwd(), 'bin/image2model.mjs');
const COMMANDS = [['--version'], ['--help'], ['list']];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const work = mkdtempSync(join(tmpdir(), 'i2m-cli-start-bench-'));
try {
  // An empty library (`list` answers a folder that holds none without opening it).
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  openDatabase(dataDir).close();
  const env = { ...process.env, IMAGE2MODEL_DATA_DIR: dataDir, [KNOWN_FOLDERS_ENV]: join(work, 'known-data-folders.json'), FAL_KEY: undefined, FAL_ADMIN_KEY: undefined };
  console.log(`CLI start to exit, ${RUNS} runs each (node ${process.version})`);
  for (const args of COMMANDS) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      const child = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
      times.push(performance.now() - start);
      if (child.status !== 0) throw new Error(`image2model ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
    }
    const label = `image2model ${args.join(' ')}`;
    console.log(`${label.padEnd(22)} median ${percentile(times, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(times, 95).toFixed(0).padStart(5)} ms`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
