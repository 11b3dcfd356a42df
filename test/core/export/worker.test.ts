// Exports run in worker threads: the work happens off the caller's thread, progress steps come back,
// failures read as they do in-thread, cancel stops the worker in hand, and a dead worker is replaced.
import { threadId, Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportRecipeSchema } from '../../../src/shared/export-recipe';
import { runRecipe } from '../../../src/core/export/pipeline';
import { BUILT_IN_PRESETS } from '../../../src/core/export/presets';
import { createWorkerPool, ExportCanceledError, startExportWorker } from '../../../src/core/export/worker-pool';
import { makeTestGlb } from '../../fixtures/make-glb';
import { read3mf } from './helpers';

const print = BUILT_IN_PRESETS.find((p) => p.id === 'print')!.recipe;
const pool = createWorkerPool({ size: 1 });
afterAll(() => pool.close());

describe('export worker pool', () => {
  it('runs a recipe in another thread with the same files and figures as in-thread, reporting each step', async () => {
    const source = await makeTestGlb({ triangles: 3000, textureSize: 64, seed: 4 });
    const steps: string[] = [];
    const inWorker = await pool.run(source, print, 'chair', { onStep: (step) => steps.push(step) });
    const inThread = await runRecipe(source, print, 'chair');
    expect(inWorker.threadId).not.toBe(threadId);
    expect(steps).toEqual(['read', 'place', 'textures', 'files', 'report']);
    expect(inWorker.files.map((f) => [f.name, f.data.byteLength])).toEqual(inThread.files.map((f) => [f.name, f.data.byteLength]));
    expect(read3mf(inWorker.files[1]!.data).vertices).toEqual(read3mf(inThread.files[1]!.data).vertices);
    expect({ ...inWorker.plan, ms: 0 }).toEqual({ ...inThread.plan, ms: 0 });
    // The source was copied, not moved: the caller still has it.
    expect(source.byteLength).toBeGreaterThan(0);
  }, 120_000);

  it('fails with the message an in-thread export gives, and the worker stays usable', async () => {
    const broken = new Uint8Array([1, 2, 3]);
    const inThread = await runRecipe(broken, print, 'x').catch((e: Error) => e.message);
    await expect(pool.run(broken, print, 'x')).rejects.toThrow(inThread as string);
    const again = await pool.run(await makeTestGlb({ triangles: 200, seed: 1 }), ExportRecipeSchema.parse({ formats: ['stl'] }), 'x');
    expect(again.files.map((f) => f.name)).toEqual(['x.stl']);
  }, 120_000);

  it('cancels the export in hand by stopping its worker; the next export gets a new worker', async () => {
    const big = await makeTestGlb({ triangles: 60_000, textureSize: 1024, seed: 5 });
    const abort = new AbortController();
    const first = await pool.run(await makeTestGlb({ triangles: 200, seed: 1 }), print, 'a');
    const running = pool.run(big, print, 'x', { signal: abort.signal, onStep: (step) => step === 'place' && abort.abort() });
    await expect(running).rejects.toBeInstanceOf(ExportCanceledError);
    const next = await pool.run(await makeTestGlb({ triangles: 200, seed: 1 }), print, 'b');
    expect(next.threadId).not.toBe(first.threadId);
    await expect(pool.run(big, print, 'x', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(ExportCanceledError);
  }, 120_000);

  it('warm() starts a worker ahead of time that the next export uses', async () => {
    let started = 0;
    const warmed = createWorkerPool({
      size: 2,
      start: () => (started++, startExportWorker()),
    });
    try {
      warmed.warm();
      warmed.warm();
      expect(started).toBe(1);
      await warmed.run(await makeTestGlb({ triangles: 200, seed: 1 }), print, 'x');
      expect(started).toBe(1);
    } finally {
      await warmed.close();
    }
  }, 120_000);

  it('reports a worker that dies mid-export as an error and replaces it', async () => {
    let started = 0;
    const crashing = createWorkerPool({
      size: 1,
      // The first worker exits as soon as it gets work; later ones are real.
      start: () =>
        started++ === 0
          ? new Worker('require("node:worker_threads").parentPort.on("message", () => process.exit(3))', { eval: true })
          : startExportWorker(),
    });
    try {
      const source = await makeTestGlb({ triangles: 200, seed: 1 });
      await expect(crashing.run(source, print, 'x')).rejects.toThrow('The export stopped unexpectedly (worker exit code 3).');
      const after = await crashing.run(source, print, 'x');
      expect(after.files.map((f) => f.name)).toEqual(['x.stl', 'x.3mf']);
    } finally {
      await crashing.close();
    }
  }, 120_000);
});
