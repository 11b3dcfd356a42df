// What the watched folder costs the app's main thread (the watch runs there, beside the window's IPC):
// a folder of 1,000 and 10,000 images once a photo is copied in (flat, and 100 per subfolder), the
// watch turned on (none of them taken), then
//  - a scan of the unchanged folder, stepped by hand: ms per scan (median, p95 of 20);
//  - 10 s of the watch on its own timers as in the app: main-thread busy share and event-loop delay
//    (first line: the same 10 s with no watch, this machine's floor);
//  - a photo copied in: how long until the watch hands it to the intake (stub: nothing is made).
// Run: npm run bench:watch-folder  (BENCH_SIZES=1000,10000 to change the folder sizes)
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createFileSettingsStore } from '../src/core/settings/file-store';
import { createFolderWatch } from '../src/core/watch-folder';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const IDLE_MS = 10_000;
const SCANS = 20;
const PNG = new Uint8Array(200).fill(7); // the watch reads names, sizes and times only

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function fill(folder: string, count: number, perFolder: number | null): void {
  for (let i = 0; i < count; i++) {
    const dir = perFolder ? join(folder, `batch-${Math.floor(i / perFolder)}`) : folder;
    if (perFolder && i % perFolder === 0) mkdirSync(dir);
    writeFileSync(join(dir, `IMG_${String(i).padStart(5, '0')}.png`), PNG);
  }
}

async function one(count: number, perFolder: number | null): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'i2m-watch-folder-bench-'));
  const folder = join(root, 'photos');
  const dataDir = join(root, 'data');
  mkdirSync(folder);
  mkdirSync(dataDir);
  fill(folder, count - 1, perFolder); // the photo copied in makes `count` (the watch follows at most 10,000)
  // A folder of photos has not changed in the last seconds (the watch reads a folder changed just now at every scan).
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (let i = 0; perFolder && i * perFolder < count - 1; i++) utimesSync(join(folder, `batch-${i}`), hourAgo, hourAgo);
  utimesSync(folder, hourAgo, hourAgo);
  const handed: { path: string; at: number }[] = [];
  const deps = {
    settings: createFileSettingsStore(join(dataDir, 'settings.json')),
    addImages: async (items: { kind: string; path?: string }[]) => {
      for (const item of items) handed.push({ path: item.path ?? '', at: performance.now() });
      return { added: [], rejected: [], duplicates: [] };
    },
    jobOptions: () => ({ endpoint: 'offline/relief', preset: 'draft' as const }),
    excludedRoots: () => [dataDir],
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    dataDir,
  };
  try {
    // Stepped scans (no timers).
    const stepped = createFolderWatch({ ...deps, timers: false });
    stepped.start();
    let at = performance.now();
    await stepped.turnOn(folder);
    const firstMs = performance.now() - at;
    const times: number[] = [];
    for (let i = 0; i < SCANS; i++) {
      at = performance.now();
      await stepped.scanNow();
      times.push(performance.now() - at);
    }
    await stepped.stop();
    await stepped.turnOff();

    // The watch on its own timers, as in the app.
    const live = createFolderWatch(deps);
    live.start();
    await live.turnOn(folder);
    const watching = await loop(IDLE_MS);
    const copied = join(folder, perFolder ? 'batch-0' : '', 'new-photo.png');
    const copiedAt = performance.now();
    writeFileSync(copied, PNG);
    const deadline = copiedAt + 30_000;
    while (!handed.some((h) => h.path === copied) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const noticed = handed.find((h) => h.path === copied);
    await live.stop();
    const layout = perFolder ? `${count / perFolder} subfolders of ${perFolder}` : 'flat';
    console.log(`${count.toLocaleString('en')} images (${layout}):`);
    console.log(`   turning on (first scan) ${firstMs.toFixed(0)} ms; a scan of the unchanged folder: median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
    console.log(
      `   ${IDLE_MS / 1000} s watching on its timers: main thread busy ${(watching.busy * 100).toFixed(2)} %, event-loop delay p99 ${watching.p99.toFixed(1)} ms, max ${watching.max.toFixed(1)} ms`,
    );
    console.log(`   a photo copied in was handed to the intake after ${noticed ? `${(noticed.at - copiedAt).toFixed(0)} ms` : 'MORE THAN 30 s (missed)'}; images taken that were there before: ${handed.filter((h) => h.path !== copied).length}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Busy share and event-loop delay of an idle process: what the figures with a watch compare with. */
async function loop(ms: number): Promise<{ busy: number; p99: number; max: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const elu0 = performance.eventLoopUtilization();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const busy = performance.eventLoopUtilization(elu0).utilization;
  delay.disable();
  return { busy, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
}

async function main(): Promise<void> {
  console.log(`watched-folder bench (node ${process.version}, ${process.platform})`);
  const idle = await loop(IDLE_MS);
  console.log(`no watch, ${IDLE_MS / 1000} s: main thread busy ${(idle.busy * 100).toFixed(2)} %, event-loop delay p99 ${idle.p99.toFixed(1)} ms, max ${idle.max.toFixed(1)} ms`);
  for (const count of SIZES) {
    await one(count, null);
    await one(count, 100);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
