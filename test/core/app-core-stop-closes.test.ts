// AppCore.stop() stopped the queue but never closed the engine: its database connection and the GLB
// check worker thread lived on until the process ended (the browser transport's server, a test run).
// It now closes them at the end of the stop; a window still open meanwhile can still load a file
// until then, and one asking after it gets "not found" - never a throw from a closed database.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, expect, it, vi } from 'vitest';
import { createAppCore, type AppCore } from '../../src/core/app-core';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { startGlbWorker } from '../../src/core/library/glb-validator';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import type { Job } from '../../src/shared/domain';
import { withFalUnreachable } from '../support/fal-unreachable';

let core: AppCore | undefined;
let dir: string | undefined;
const workers: Worker[] = [];
afterEach(async () => {
  await core?.stop();
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
  if (dir) rmSync(dir, { recursive: true, force: true });
  core = dir = undefined;
});

it('stop() ends the GLB check worker and the database; a file asked for during the stop is served, after it "not found"', async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-stop-closes-'));
  const dataDir = join(dir, 'data');
  const errors: string[] = [];
  core = createAppCore({
    dataDir,
    keys: createMemoryKeyVault({ FAL_KEY: 'stop-closes-key-id:0123456789abcdef' }),
    settings: createFileSettingsStore(join(dataDir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: (message) => void errors.push(message) },
    // Nothing reaches FAL: the job waits, its input stays.
    fetch: withFalUnreachable(),
    engineOverrides: {
      timing: { warmUpDelayMs: 0 },
      glbWorker: {
        warmForFal: true,
        start: () => {
          const worker = startGlbWorker();
          workers.push(worker);
          return worker;
        },
      },
    },
  });
  await core.start(() => {});
  // With a key, the warm-up after start starts the check worker (as the app's does).
  await vi.waitFor(() => expect(workers).toHaveLength(1), { timeout: 20_000 });
  const worker = workers[0]!;
  const photo = readFileSync(join(import.meta.dirname, '../../resources/samples/duck.jpg'));
  const added = await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'duck.jpg', bytes: new Uint8Array(photo) }] });
  expect(added.ok).toBe(true);
  const job = (added as { ok: true; data: { added: Job[] } }).data.added[0]!;
  const route = `input/${job.id}`;
  expect(core.resolveFile(route)?.path).toBeTruthy();

  const stopped = core.stop();
  // The window is still open while the queue stops (Electron's before-quit waits for it).
  expect(core.resolveFile(route)?.path).toBeTruthy();
  await stopped;

  // Ended, not left running (a worker's threadId is -1 once it has exited).
  expect(worker.threadId).toBe(-1);
  expect(core.resolveFile(route)).toBeNull();
  expect(core.resolveFile('model/no-such-model')).toBeNull();
  // The machine shutting down after the stop: nothing left to give back, no closed database read.
  expect(core.releaseUnsentNow()).toBe(0);
  expect(errors).toEqual([]);
}, 60_000);
