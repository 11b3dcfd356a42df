// Time per export preset on a generated ~100k-triangle model with a 2048 px texture (what FAL's
// high presets make). Target: each preset under 3 s. Run: npm run bench:export
// CPU time (this process, all threads) is printed next to wall time: on a shared, loaded machine the
// wall time mostly measures the other processes.
import { makeTestGlb } from '../test/fixtures/make-glb';
import { runRecipe } from '../src/core/export/pipeline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BUILT_IN_PRESETS } from '../src/core/export/presets';
import { createWorkerPool } from '../src/core/export/worker-pool';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_MS = 3000;

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main() {
  const source = await makeTestGlb({ triangles: 100_000, textureSize: 2048, seed: 7 });
  console.log(`source: ${(source.byteLength / 1024 / 1024).toFixed(2)} MB; ${RUNS} runs per preset (median)`);
  // One untimed run loads the codecs (meshoptimizer, Draco, sharp) as the app does on first use.
  await runRecipe(source, BUILT_IN_PRESETS.find((p) => p.id === 'web')!.recipe, 'warmup');
  const rows: string[] = [];
  for (const preset of BUILT_IN_PRESETS) {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let summary = '';
    for (let i = 0; i < RUNS; i++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const { plan } = await runRecipe(source, preset.recipe, 'bench');
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
      summary = `${plan.source.triangles} -> ${plan.result.triangles} tris, ${plan.files.length} file(s), ${(plan.totalBytes / 1024 / 1024).toFixed(2)} MB`;
    }
    const median = medianOf(times);
    rows.push(
      `${preset.id.padEnd(8)} ${median.toFixed(0).padStart(6)} ms (cpu ${medianOf(cpuTimes).toFixed(0).padStart(5)} ms)  ${median < TARGET_MS ? 'ok  ' : 'SLOW'}  ${summary}`,
    );
    console.log(rows.at(-1));
  }

  // The app runs exports in a worker thread: the longest the calling thread's event loop (the
  // window's IPC, in the app) waits during one export, in-thread versus in the worker.
  console.log('\nlongest main event-loop stall per export (in-thread -> worker), worker wall time:');
  const pool = createWorkerPool({ size: 1 });
  await pool.run(source, BUILT_IN_PRESETS[0]!.recipe, 'warmup');
  for (const preset of BUILT_IN_PRESETS) {
    const inThread = await longestStall(() => runRecipe(source, preset.recipe, 'bench'));
    const started = performance.now();
    const inWorker = await longestStall(() => pool.run(source, preset.recipe, 'bench'));
    const wall = performance.now() - started;
    console.log(`${preset.id.padEnd(8)} stall ${inThread.toFixed(0).padStart(5)} ms -> ${inWorker.toFixed(0).padStart(4)} ms   worker ${wall.toFixed(0).padStart(6)} ms`);
  }
  await pool.close();
}

async function longestStall(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await work();
  histogram.disable();
  return histogram.max / 1e6;
}

void main();
