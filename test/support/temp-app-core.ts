// The real app core on a fresh temp folder, set up once for the tests that drive it through
// dispatch: no key (memory vault), settings in the data folder, the headless platform, a quiet logger.
// Each test file gets a `start`; an afterEach stops its core and removes its folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createAppCore, type AppCore, type AppCoreOptions } from '../../src/core/app-core';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import type { Job } from '../../src/shared/domain';
import type { SettingsPatch } from '../../src/shared/settings';

export interface TempAppCore {
  core: AppCore;
  /** The temp folder: the data folder is `data` in it; the rest is the test's. */
  dir: string;
  dataDir: string;
}

export interface TempAppCoreOptions {
  /** Settings saved before the core starts (as the user would have left them); given the temp folder. */
  settings?: (dir: string) => SettingsPatch;
  /** Anything else the core is given (samples folder, overrides). */
  options?: Partial<AppCoreOptions>;
}

/** Registers the clean-up and returns `start(options)`, which makes and starts a core in a new folder. */
export function useTempAppCore(prefix: string): (options?: TempAppCoreOptions) => Promise<TempAppCore> {
  let started: TempAppCore | null = null;
  afterEach(async () => {
    const current = started;
    started = null;
    await current?.core.stop();
    if (current) rmSync(current.dir, { recursive: true, force: true });
  });
  return async ({ settings: patch, options } = {}) => {
    const dir = mkdtempSync(join(tmpdir(), `i2m-${prefix}-`));
    const dataDir = join(dir, 'data');
    const settings = createFileSettingsStore(join(dataDir, 'settings.json'));
    if (patch) settings.set(patch(dir));
    const core = createAppCore({
      dataDir,
      keys: createMemoryKeyVault({}),
      settings,
      platform: createHeadlessPlatform(),
      appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      ...options,
    });
    started = { core, dir, dataDir };
    await core.start(() => {});
    return started;
  };
}

/** Polls `read` until it gives a value other than null (or throws after `timeoutMs`). */
export async function waitForValue<T>(read: () => T | null | Promise<T | null>, timeoutMs = 30_000, what = 'the value'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls the job list (as the page reads it) until job `id` is `done`; the timeout names its last state. */
export async function waitForJob(core: AppCore, id: string, done: (job: Job) => boolean, timeoutMs = 60_000): Promise<Job> {
  let last: Job | undefined;
  try {
    return await waitForValue(async () => {
      const jobs = await core.dispatch('jobs:list', undefined);
      last = jobs.ok ? (jobs.data as Job[]).find((job) => job.id === id) : undefined;
      return last && done(last) ? last : null;
    }, timeoutMs);
  } catch {
    throw new Error(`job ${id} did not finish: ${JSON.stringify(last)}`);
  }
}
