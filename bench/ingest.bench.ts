// How long the engine's event loop stalls while a downloaded model is ingested (GLB check, store,
// commit: engine/library-ingest.ts), with the GLB check in-thread (as before) versus in the worker
// thread (library/glb-validator.ts). In the app that loop is Electron's main process, which also
// serves the window.
// The model: ~200k triangles with a 2048 px texture (~5.9 MB), served by the fake FAL server in its own
// process (fake-fal-process.ts). Each run is a new engine: the worker mode pays
// a worker's start every time, as the first large model of a session does (from source here: tsx
// compiles the worker's code too, which the built app does not).
// Figures, from the job's "Checking the model" to its success: the longest gap between 10 ms ticks, and the
// time the event loop was busy (event-loop utilization: on a loaded machine gaps also count time the
// thread waited for a core; busy time does less so). The idle line: the longest gap with nothing to do.
// Run: npm run bench:ingest  (BENCH_RUNS to change the number of runs per mode, default 4)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { createEngine } from '../src/core/engine';
import { makeTestPng } from '../test/fixtures/make-glb';
import { startFakeFalProcess } from './fake-fal-process';

const RUNS = Number(process.env.BENCH_RUNS ?? 4);
const MODEL = { triangles: 200_000, textureSize: 2048 };
const KEY = 'bench-key-0123456789';


interface RunFigures {
  /** Longest gap between ticks (ms). */
  stall: number;
  /** Time the event loop was busy (ms). */
  busy: number;
  modelBytes: number;
}

/** Ticks every 10 ms, remembering when and how late; stop() returns them. */
function tickTracker(): { stop(): { at: number; gap: number }[] } {
  const ticks: { at: number; gap: number }[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    ticks.push({ at: now, gap: now - last });
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return ticks;
    },
  };
}

/** One job on a new engine: figures for the time its model was checked and stored. */
async function oneRun(falUrl: string, inWorker: boolean, seed: number): Promise<RunFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'i2m-ingest-bench-'));
  const engine = createEngine({
    dataDir,
    getFalKey: () => KEY,
    falProxyUrl: falUrl,
    // Unthrottled job events: the bench sees the moment the check starts.
    timing: { tempFileMinAgeMs: 0, throttleMs: 0 },
    glbWorker: { minBytes: inWorker ? undefined : Infinity },
  });
  const tracker = tickTracker();
  let from = Infinity;
  let to = Infinity;
  let loopAtFrom: EventLoopUtilization | null = null;
  let busy = NaN;
  engine.on('job', (job) => {
    if (job.message === 'Checking the model' && from === Infinity) {
      from = performance.now();
      loopAtFrom = performance.eventLoopUtilization();
    }
    if (job.state === 'succeeded' && loopAtFrom) {
      to = performance.now();
      busy = performance.eventLoopUtilization(loopAtFrom).active;
    }
  });
  try {
    await engine.start();
    const png = new Uint8Array(await makeTestPng(64, 64, { seed }));
    await engine.addImages([{ kind: 'bytes', name: `bench-${seed}.png`, bytes: png }], { preset: 'draft' });
    await engine.waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 60));
    const model = engine.library.list({ offset: 0, limit: 1 }).items[0];
    if (!model || to === Infinity) throw new Error('the job did not succeed');
    const ticks = tracker.stop();
    const stall = Math.max(...ticks.filter((t) => t.at >= from && t.at <= to + 50).map((t) => t.gap));
    return { stall, busy, modelBytes: model.stats.fileSize };
  } finally {
    tracker.stop();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const fake = await startFakeFalProcess({ processingMs: 50, glb: MODEL, uniqueOutputs: false });
  try {
    const runs: Record<'in-thread' | 'worker', RunFigures[]> = { 'in-thread': [], worker: [] };
    // Alternating, so both modes see the same machine load; the first in-thread run also warms the validator's code.
    for (let i = 0; i < RUNS; i++) {
      for (const mode of ['in-thread', 'worker'] as const) {
        runs[mode].push(await oneRun(fake.url, mode === 'worker', i * 2 + (mode === 'worker' ? 1 : 0) + 1));
      }
    }
    const idle = tickTracker();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idleStall = Math.max(...idle.stop().map((t) => t.gap));

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const list = (values: number[]) => values.map((v) => v.toFixed(0).padStart(4)).join(' ');
    const modelMb = runs.worker[0]!.modelBytes / 1024 / 1024;
    console.log(`model: ${modelMb.toFixed(1)} MB; from the check's start to success, ${RUNS} runs each (the first in-thread run is also the validator's first)`);
    console.log('                longest tick gap (median; runs)       event loop busy (median; runs)');
    for (const mode of ['in-thread', 'worker'] as const) {
      const stalls = runs[mode].map((r) => r.stall);
      const busy = runs[mode].map((r) => r.busy);
      console.log(
        `${mode.padEnd(9)}  ${median(stalls).toFixed(0).padStart(6)} ms; ${list(stalls)}    ${median(busy).toFixed(0).padStart(6)} ms; ${list(busy)}`,
      );
    }
    console.log(`idle       ${idleStall.toFixed(0).padStart(6)} ms  (longest tick gap in 3 s with nothing to do: this machine's noise)`);
  } finally {
    await fake.close();
  }
}

void main();
