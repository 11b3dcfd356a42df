// Attack: a model whose data makes a WebAssembly decoder inside an export trap (Draco, meshopt: compiled
// C++ reading past its memory). The export failed with the trap's own words - "Export failed: memory
// access out of bounds" - which say neither what failed nor what to do. Such low-level failures (a
// WebAssembly RuntimeError, memory that could not be had) now say that the model file could not be read
// for conversion and what still works (GLB, which copies the file as it is; downloading it again), by
// every export channel; the original error goes to the log.
// The trap is real (a WebAssembly module that loads past its memory), raised where the decoders run:
// reading the model into a glTF document. No model that makes the shipped decoders trap is known.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeEach, expect, it, vi } from 'vitest';
import type { AppCore } from '../../src/core/app-core';
import { exportHandlers } from '../../src/core/export/handlers';
import { runRecipe } from '../../src/core/export/pipeline';
import { createExportService } from '../../src/core/export/service';
import { createWorkerPool, type RecipeRunner } from '../../src/core/export/worker-pool';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { isLowLevelError } from '../../src/core/util/low-level-error';
import type { AddJobsResult } from '../../src/shared/contract';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import type { EngineApi, SettingsStore } from '../../src/core/services-types';
import type { Job } from '../../src/shared/domain';
import { startAutoExport } from '../../src/core/auto-export';
import { useTempAppCore, waitForJob } from '../support/temp-app-core';

const trap = vi.hoisted(() => {
  // (module (memory 1) (func (export "f") (result i32) (i32.load (i32.const 0x7fffffff))))
  const bytes = new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 5, 1, 1, 0x66, 0, 0, 0x0a, 0x0d, 1, 0x0b, 0, 0x41, 0xff, 0xff,
    0xff, 0xff, 7, 0x28, 2, 0, 0x0b,
  ]);
  const wasm = (globalThis as unknown as { WebAssembly: { Instance: new (m: unknown) => { exports: { f(): number } }; Module: new (b: Uint8Array) => unknown } }).WebAssembly;
  return { on: false, spring: () => new wasm.Instance(new wasm.Module(bytes)).exports.f() };
});
vi.mock('../../src/core/library/gltf-document', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/library/gltf-document')>();
  return {
    ...real,
    readDocument: async (...args: Parameters<typeof real.readDocument>) => {
      if (trap.on) trap.spring();
      return real.readDocument(...args);
    },
  };
});

const SAMPLES_DIR = join(import.meta.dirname, '../../resources/samples');
const start = useTempAppCore('converter-trap');
const saveDir = mkdtempSync(join(tmpdir(), 'i2m-converter-trap-save-'));
afterAll(() => rmSync(saveDir, { recursive: true, force: true }));
beforeEach(() => {
  trap.on = false;
});

const READABLE = /^The model file could not be read for conversion: .*Export it as GLB instead, which copies the file as it is, or download the model again/;
const RAW = /memory access out of bounds|RuntimeError/;

async function oneModel(app: AppCore): Promise<string> {
  const added = await app.dispatch('samples:add', { id: 'apple', endpoint: OFFLINE_MODEL_ID, preset: 'draft' });
  const job = await waitForJob(app, (added as { data: AddJobsResult }).data.added[0]!.id, (j) => j.state === 'succeeded' || j.state === 'failed');
  expect(job.state).toBe('succeeded');
  return job.modelId!;
}

it('Export as OBJ or STL from the library says the file could not be converted and what to do; GLB still works; the trap is logged', async () => {
  const logged: { message: string; detail: unknown }[] = [];
  const logger = { info: () => {}, warn: () => {}, error: (message: string, detail?: unknown) => void logged.push({ message, detail }) };
  const { core: app } = await start({ options: { samplesDir: SAMPLES_DIR, platform: createHeadlessPlatform({ exportDir: saveDir }), logger } });
  const id = await oneModel(app);
  trap.on = true;
  for (const format of ['obj', 'stl'] as const) {
    const answer = await app.dispatch('export:model', { id, format });
    expect(answer.ok).toBe(false);
    const { message } = (answer as { error: { message: string } }).error;
    expect(message).toMatch(READABLE);
    expect(message).not.toMatch(RAW);
  }
  expect(logged).toHaveLength(2);
  expect(logged[0]!.detail).toMatchObject({ name: 'RuntimeError', message: 'memory access out of bounds' });
  // What the message offers works: GLB is a copy, no conversion.
  const glb = await app.dispatch('export:model', { id, format: 'glb' });
  expect(glb.ok).toBe(true);
  expect(readdirSync(saveDir).filter((f) => f.endsWith('.glb'))).toHaveLength(1);
}, 60_000);

it('the export studio (one model, a batch) says the same; the trap is logged', async () => {
  const { core: app, dir, dataDir } = await start({ options: { samplesDir: SAMPLES_DIR } });
  const id = await oneModel(app);
  // The worker's run, in this thread (the trap is raised where the worker would meet it).
  const inThread: RecipeRunner = {
    run: async (source, recipe, stem, opts) => ({ ...(await runRecipe(source, recipe, stem, opts)), threadId: 0 }),
    warm: () => {},
    close: async () => {},
  };
  const warned: unknown[] = [];
  const exports = createExportService(app.engine.library, dataDir, inThread, { warn: (_message, detail) => void warned.push(detail) });
  const handlers = exportHandlers({ exports, engine: {} as EngineApi, settings: createFileSettingsStore(join(dir, 'studio-settings.json')), dataDir });
  const recipe = ExportRecipeSchema.parse({ formats: ['stl'] });
  trap.on = true;

  const run = handlers['export:run']({ id, recipe });
  await expect(run).rejects.toThrow(READABLE);
  const error = (await run.then(() => null, (e: unknown) => e)) as Error;
  expect(error.message).not.toMatch(RAW);
  expect(error.cause).toMatchObject({ message: 'memory access out of bounds' });

  const batch = await handlers['export:batch']({ batchId: 'b1', ids: [id], recipe });
  expect(batch).toMatchObject({ failed: 1, items: [{ ok: false, error: expect.stringMatching(READABLE) }] });
  expect(warned).toEqual([expect.objectContaining({ name: 'RuntimeError', message: 'memory access out of bounds' })]);
}, 60_000);

it('the automatic export with a preset tells the same in its notification; the trap is logged', async () => {
  const { core: app, dir, dataDir } = await start({ options: { samplesDir: SAMPLES_DIR } });
  const id = await oneModel(app);
  const inThread: RecipeRunner = {
    run: async (source, recipe, stem, opts) => ({ ...(await runRecipe(source, recipe, stem, opts)), threadId: 0 }),
    warm: () => {},
    close: async () => {},
  };
  const exports = createExportService(app.engine.library, dataDir, inThread);
  let onJob: (job: Job) => void = () => {};
  const engine = { on: (_event: string, listener: (job: Job) => void) => ((onJob = listener), () => {}), library: app.engine.library } as unknown as EngineApi;
  const out = join(dir, 'auto');
  const settings = { get: () => ({ exportAfterSuccess: true, outputFolder: out, autoExportPreset: 'print', notifications: true }) } as unknown as SettingsStore;
  const warned: unknown[] = [];
  const notes: string[] = [];
  const logger = { info: () => {}, warn: (_message: string, detail?: unknown) => void warned.push(detail), error: () => {} };
  startAutoExport(engine, settings, join(dir, 'exports'), logger, exports, (_title, body) => notes.push(body));
  trap.on = true;
  onJob({ id: 'job-1', state: 'succeeded', modelId: id } as Job);
  await vi.waitFor(() => expect(notes).toHaveLength(1));
  expect(notes[0]).toMatch(/was not exported: The model file could not be read for conversion: .*Export it as GLB instead/);
  expect(notes[0]).not.toMatch(RAW);
  expect(warned).toEqual([expect.objectContaining({ name: 'RuntimeError', message: 'memory access out of bounds' })]);
}, 60_000);

it('a trap inside the export worker thread is still known as one on this side', async () => {
  // A worker that meets a real trap and answers as the export worker does (worker.ts: lowLevel from isLowLevelError).
  const code = `
    const { parentPort } = require('node:worker_threads');
    const bytes = new Uint8Array(${JSON.stringify([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 5, 1, 1, 0x66, 0, 0, 0x0a, 0x0d, 1, 0x0b, 0, 0x41, 0xff, 0xff, 0xff, 0xff, 7, 0x28, 2, 0, 0x0b])});
    parentPort.on('message', () => {
      try { new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f(); }
      catch (error) { parentPort.postMessage({ type: 'failed', message: error.message, lowLevel: error.name === 'RuntimeError' }); }
    });`;
  const pool = createWorkerPool({ size: 1, start: () => new Worker(code, { eval: true }) });
  try {
    const error = await pool.run(new Uint8Array(4), ExportRecipeSchema.parse({ formats: ['stl'] }), 'x').catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'memory access out of bounds' });
    expect(isLowLevelError(error)).toBe(true);
  } finally {
    await pool.close();
  }
});
