// The desktop app's process in the two-process queue bench (the other is a real `image2model convert`
// run, started on "go"):
//   app <dataDir> <proxyUrl> <concurrency> <photoDir>
//     the desktop app's core (queue-app.ts createBenchApp), started as at launch; on "go" the photos of
//     <photoDir> (read before "ready", as a drop's files exist before it) are dropped into it through
//     jobs:add in the window's batches.
// Prints "ready" once loaded, works until the shared queue is empty, then prints
// "idle <json>": when, its CPU ms since "go" (all its threads), and when it saw each job succeed first.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../src/core/engine';
import type { Job } from '../src/shared/domain';
import { clock, createBenchApp, drop, type Photo } from './queue-app';

const [role, dataDir, proxyUrl, concurrencyText, photoDir] = process.argv.slice(2);
if (role !== 'app' || !dataDir || !proxyUrl || !photoDir) {
  process.stderr.write('usage: queue-child app <dataDir> <proxyUrl> <concurrency> <photoDir>\n');
  process.exit(2);
}
const concurrency = Number(concurrencyText ?? 4);
/** The bench's photos in the order it made them (bench-<seed>.png). */
const files = readdirSync(photoDir)
  .filter((name) => name.endsWith('.png'))
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  .map((name) => join(photoDir, name));

const app = createBenchApp(dataDir, proxyUrl, concurrency);
const engine: Engine = app.engine;
await app.start(); // the app is running when the user drops
const photos: Photo[] = files.map((path) => ({ kind: 'bytes', name: path.slice(photoDir.length + 1), bytes: new Uint8Array(readFileSync(path)) }));
const work = () => drop(app.core, photos);
const stop = async () => {
  await app.core.stop();
  await engine.close();
};

/** The first time this process saw each job succeed (its own jobs: when their model and preview were stored). */
const succeededAt: Record<string, number> = {};
engine.on('job', (job: Job) => {
  if (job.state === 'succeeded') succeededAt[job.id] ??= clock();
});
process.stdin.on('end', () => process.exit(0)); // the bench went away
process.stdout.write('ready\n');
await new Promise<void>((done) => process.stdin.once('data', () => done()));
const cpuAtGo = process.cpuUsage();
await work();
await engine.waitForIdle();
const cpu = process.cpuUsage(cpuAtGo);
process.stdout.write(`idle ${JSON.stringify({ at: clock(), cpuMs: (cpu.user + cpu.system) / 1000, succeededAt })}\n`);
await stop();
process.exit(0);
