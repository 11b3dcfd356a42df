// The desktop app as the queue bench runs it - in the bench's own process (sections 1-3) and in the app
// process of its two-process run (queue-child.ts) - and a drop of photos into it, as the window sends one.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { createAppCore, type AppCore } from '../src/core/app-core';
import type { Engine } from '../src/core/engine';
import { createMemoryKeyVault } from '../src/core/keys/memory-vault';
import { createMemoryRouteStore } from '../src/core/keys/route-store';
import { createHeadlessPlatform } from '../src/core/platform';
import { createFileSettingsStore } from '../src/core/settings/file-store';
import { createLogger } from '../src/main/logger';
import type { AddJobsResult } from '../src/shared/contract';
import type { Job } from '../src/shared/domain';

export const BENCH_KEY = 'bench-key-0123456789';

/** Wall-clock ms, comparable between the bench's processes. */
export const clock = () => performance.timeOrigin + performance.now();

export interface BenchApp {
  core: AppCore;
  /** createAppCore's engine is the whole engine (its EngineApi type leaves out start/stop/waitForIdle). */
  engine: Engine;
  /** The app's log file (main.log). */
  logFile: string;
  /**
   * Starts the app core (its engine and background work), as the app does at launch, and waits for the
   * engine's background warm-up (loading the image tools): a user drops photos seconds after launch,
   * not in its first milliseconds. Resolves with how long the warm-up took after start.
   */
  start(): Promise<number>;
}

/**
 * The app core built as the app builds it (createAppCore, as src/main/index.ts does): the key guard and
 * billing reader on every FAL call, FAL's prices, the background spend and reconcile work, auto-export's
 * listener, the main process's file logger, and every event sent on to the window - here serialized as
 * Electron's IPC does (V8's serializer), there being no window. Only the route differs: through a local
 * proxy (the fake) instead of FAL's hosts. `concurrency` is saved in the app's settings, as the user sets it.
 */
export function createBenchApp(dataDir: string, proxyUrl: string, concurrency: number): BenchApp {
  const settings = createFileSettingsStore(join(dataDir, 'settings.json'));
  settings.set({ concurrency });
  const logger = createLogger(join(dataDir, 'logs'), { secrets: () => [BENCH_KEY] });
  const core = createAppCore({
    dataDir,
    keys: createMemoryKeyVault({ FAL_KEY: BENCH_KEY }),
    billingKeys: createMemoryKeyVault({}, 'FAL_ADMIN_KEY'),
    route: createMemoryRouteStore({ proxyUrl, sendKeyToProxy: true }),
    settings,
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: 'bench', dataDir, fileBaseUrl: 'x://', platform: process.platform, transport: 'electron' },
    logger,
  });
  return {
    core,
    engine: core.engine as Engine,
    logFile: logger.file,
    async start() {
      await core.start((_event, payload) => void serialize(payload));
      const started = performance.now();
      await (core.engine as Engine).whenWarm();
      return performance.now() - started;
    },
  };
}

export type Photo = { kind: 'bytes'; name: string; bytes: Uint8Array };

/** Images per jobs:add call, as the app sends a drop (renderer lib/image-items.ts MAX_BATCH_ITEMS). */
export const DROP_BATCH = 200;

/**
 * Hands the photos to the app as a drop in the app does: batches of DROP_BATCH, each prepared
 * (checked, oriented, scaled, stored) by the engine and then queued, while earlier ones already run.
 * `handed`: each batch's jobs and when the batch was handed over.
 */
export async function drop(core: AppCore, items: Photo[], handed: (jobs: Job[], at: number) => void = () => undefined): Promise<void> {
  for (let i = 0; i < items.length; i += DROP_BATCH) {
    const batch = items.slice(i, i + DROP_BATCH);
    const handedAt = clock();
    // Through the app's channel (jobs:add: the contract's checks, the job defaults), as the window sends it.
    const answer = await core.dispatch('jobs:add', { items: batch, preset: 'draft' });
    if (!answer.ok) throw new Error(`jobs:add failed: ${answer.error.message}`);
    const result = answer.data as AddJobsResult;
    if (result.added.length !== batch.length) throw new Error(`only ${result.added.length} of ${batch.length} added: ${JSON.stringify([...result.rejected, ...result.duplicates])}`);
    handed(result.added, handedAt);
  }
}
