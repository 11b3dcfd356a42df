// Time per export preset on a generated ~100k-triangle model with a 2048 px texture (what FAL's
// high presets make). Target: each preset under 3 s. Run: npm run bench:export
// CPU time (this process, all threads) is printed next to wall time: on a shared, loaded machine the
// wall time mostly measures the other processes.
import { makeTestGlb } from '../test/fixtures/make-glb';
import { runRecipe } from '../src/core/export/pipeline';
import { BUILT_IN_PRESETS } from '../src/core/export/presets';

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
}

void main();
