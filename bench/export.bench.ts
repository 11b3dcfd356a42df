// Time per export preset on a generated ~100k-triangle model with a 2048 px texture (what FAL's
// high presets make). Target: each preset under 3 s. Run: npm run bench:export
import { makeTestGlb } from '../test/fixtures/make-glb';
import { runRecipe } from '../src/core/export/pipeline';
import { BUILT_IN_PRESETS } from '../src/core/export/presets';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_MS = 3000;

async function main() {
  const source = await makeTestGlb({ triangles: 100_000, textureSize: 2048, seed: 7 });
  console.log(`source: ${(source.byteLength / 1024 / 1024).toFixed(2)} MB; ${RUNS} runs per preset (median)`);
  // One untimed run loads the codecs (meshoptimizer, Draco, sharp) as the app does on first use.
  await runRecipe(source, BUILT_IN_PRESETS.find((p) => p.id === 'web')!.recipe, 'warmup');
  const rows: string[] = [];
  for (const preset of BUILT_IN_PRESETS) {
    const times: number[] = [];
    let summary = '';
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const { plan } = await runRecipe(source, preset.recipe, 'bench');
      times.push(performance.now() - started);
      summary = `${plan.source.triangles} -> ${plan.result.triangles} tris, ${plan.files.length} file(s), ${(plan.totalBytes / 1024 / 1024).toFixed(2)} MB`;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    rows.push(`${preset.id.padEnd(8)} ${median.toFixed(0).padStart(6)} ms  ${median < TARGET_MS ? 'ok  ' : 'SLOW'}  ${summary}`);
    console.log(rows.at(-1));
  }
}

void main();
