// What another process's work costs the desktop app: a data folder with a long history (BENCH_HISTORY
// jobs and as many models, default 10,000), an engine watching it as the app does, and a second
// process (as a CLI run) changing a job every 50 ms and renaming a model every 500 ms for 5 s.
// Prints the watching engine's main-thread load and event-loop delay (what the window's IPC waits
// behind) and how long a change took to reach it as an event (the promise: within a second).
// Run: npm run bench:watch
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../src/core/db/open';
import { createEngine } from '../src/core/engine';
import { makeTestPng } from '../test/fixtures/make-glb';

const HISTORY = Number(process.env.BENCH_HISTORY ?? 10_000);
const SECONDS = 5;
const clock = () => performance.timeOrigin + performance.now();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One real offline job and its model, copied HISTORY times (a finished history, as after months of use). */
async function seed(dataDir: string): Promise<void> {
  const engine = createEngine({ dataDir, getFalKey: () => null });
  await engine.start();
  const { added } = await engine.addImages([{ kind: 'bytes', name: 'seed.png', bytes: new Uint8Array(await makeTestPng(64, 64, { seed: 1 })) }], { endpoint: 'offline/relief' });
  const id = added[0]!.id;
  while (engine.getJob(id)?.state !== 'succeeded') await new Promise((resolve) => setTimeout(resolve, 50));
  await engine.close();
  const db = new Database(join(dataDir, DATABASE_FILE));
  const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  const jobColumns = columns('jobs');
  const modelColumns = columns('models');
  const copyJob = db.prepare(`INSERT INTO jobs (${jobColumns.join(',')}) SELECT ${jobColumns.map((c) => (c === 'id' ? '?' : c === 'model_id' ? 'NULL' : c)).join(',')} FROM jobs WHERE id = ?`);
  const copyModel = db.prepare(
    `INSERT INTO models (${modelColumns.join(',')}) SELECT ${modelColumns.map((c) => (c === 'id' ? '?' : c === 'name' ? '?' : c === 'job_id' ? 'NULL' : c)).join(',')} FROM models LIMIT 1`,
  );
  db.transaction(() => {
    for (let i = 0; i < HISTORY; i++) {
      copyJob.run(`history-job-${i}`, id);
      copyModel.run(`history-model-${i}`, `Model ${i}`);
    }
  })();
  db.close();
}

/** The second process: plain better-sqlite3 writes, as another engine's commits look to this one. */
const WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 5000');
const job = db.prepare('UPDATE jobs SET message = ? WHERE id = ?');
const model = db.prepare('UPDATE models SET name = ? WHERE id = ?');
let k = 0;
const timer = setInterval(() => {
  k++;
  job.run('changed at ' + (performance.timeOrigin + performance.now()), 'history-job-' + (k % 100));
  if (k % 10 === 0) model.run('Renamed ' + k, 'history-model-' + (k % 100));
}, 50);
setTimeout(() => { clearInterval(timer); db.close(); }, ${SECONDS * 1000});
`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'i2m-watch-bench-'));
  try {
    await seed(dataDir);
    const app = createEngine({ dataDir, getFalKey: () => null });
    await app.start();
    const seenAfter: number[] = [];
    let renames = 0;
    app.on('job', (job) => {
      const at = /^changed at ([\d.]+)$/.exec(job.message ?? '');
      if (at) seenAfter.push(clock() - Number(at[1]));
    });
    app.on('library', (change) => change.kind === 'updated' && renames++);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const elu0 = performance.eventLoopUtilization();
    const writer = spawn(process.execPath, ['-e', WRITER, join(dataDir, DATABASE_FILE)], { stdio: 'inherit', cwd: process.cwd() });
    await once(writer, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the last changes arrive
    const busy = performance.eventLoopUtilization(elu0).utilization;
    delay.disable();
    await app.close();
    console.log(`watch bench: ${HISTORY} jobs and ${HISTORY} models in the history; another process changes a job every 50 ms and renames a model every 500 ms for ${SECONDS} s`);
    console.log(
      `   the watching engine's main thread busy ${(busy * 100).toFixed(1)} %; event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
    );
    const median = percentile(seenAfter, 50);
    const p95 = percentile(seenAfter, 95);
    console.log(
      `   a change reached it as an event after median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (${seenAfter.length} job changes seen of ~${(SECONDS * 1000) / 50}, ${renames} renames of ~${(SECONDS * 1000) / 500}); target: within 1 s -> ${p95 <= 1000 ? 'OK' : 'MISSED'}`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
