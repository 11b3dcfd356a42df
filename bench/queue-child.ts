// One process of the two-process queue bench, as the user runs it on one data folder:
//   app <dataDir> <proxyUrl> <concurrency> <photoDir>
//     the desktop app's core (queue-app.ts createBenchApp), started as at launch; on "go" the photos of
//     <photoDir> (read before "ready", as a drop's files exist before it) are dropped into it through
//     jobs:add in the window's batches.
//   cli <dataDir> - <concurrency> <photoDir> <outDir>
//     a CLI run (src/cli/run.ts openEngine: the CLI's logger, key guard and the app's spending cap; the key
//     and proxy from FAL_KEY and IMAGE2MODEL_FAL_PROXY); on "go" it starts its engine and adds the image
//     files of <photoDir> by path, as `image2model convert --preset draft --out <outDir> <files>` does.
// Prints "ready" once loaded, works until the shared queue is empty, then prints
// "idle <json>": when, its CPU ms since "go" (all its threads), and when it saw each job succeed first.
import { readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openEngine } from '../src/cli/run';
import type { Engine } from '../src/core/engine';
import type { ImageItem } from '../src/shared/contract';
import { DEFAULT_MODEL_ID } from '../src/shared/default-generator';
import type { Job } from '../src/shared/domain';
import { clock, createBenchApp, drop, type Photo } from './queue-app';

const [role, dataDir, proxyUrl, concurrencyText, photoDir, outDir] = process.argv.slice(2);
if ((role !== 'app' && role !== 'cli') || !dataDir || !proxyUrl || !photoDir || (role === 'cli' && !outDir)) {
  process.stderr.write('usage: queue-child app <dataDir> <proxyUrl> <concurrency> <photoDir> | cli <dataDir> - <concurrency> <photoDir> <outDir>\n');
  process.exit(2);
}
const concurrency = Number(concurrencyText ?? 4);
/** The bench's photos in the order it made them (bench-<seed>.png). */
const files = readdirSync(photoDir)
  .filter((name) => name.endsWith('.png'))
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  .map((name) => join(photoDir, name));

let engine: Engine;
let work: () => Promise<void>;
let stop: () => Promise<void>;
if (role === 'app') {
  const app = createBenchApp(dataDir, proxyUrl, concurrency);
  engine = app.engine;
  await app.start(); // the app is running when the user drops
  const photos: Photo[] = files.map((path) => ({ kind: 'bytes', name: path.slice(photoDir.length + 1), bytes: new Uint8Array(readFileSync(path)) }));
  work = () => drop(app.core, photos);
  stop = async () => {
    await app.core.stop();
    await engine.close();
  };
} else {
  engine = openEngine({ dataDir, json: false, concurrency });
  const cliEngine = engine;
  work = async () => {
    // runJobs (src/cli/run.ts): the engine starts, each input is looked at, the files are added in one call.
    await cliEngine.start();
    const items: ImageItem[] = [];
    for (const input of files) {
      const info = await stat(input).catch(() => null);
      if (info?.isFile()) items.push({ kind: 'path', path: resolve(input) });
    }
    const result = await cliEngine.addImages(items, { endpoint: DEFAULT_MODEL_ID, preset: 'draft', options: {}, force: false, outputDir: resolve(outDir!) });
    if (result.added.length !== files.length) throw new Error(`only ${result.added.length} of ${files.length} added (${result.rejected[0]?.reason ?? 'none rejected'})`);
  };
  stop = async () => {
    await cliEngine.stop();
    await cliEngine.close();
  };
}

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
