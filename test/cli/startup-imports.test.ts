// Commands that need no engine start without loading it (src/cli/run.ts, src/cli/open-engine.ts and the engine, the job
// store, the database cost ~1.4 s of every CLI start): --help, --version, usage errors, deleting an
// export preset. Each heavy module is mocked to note when it is loaded.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const loaded = vi.hoisted(() => new Set<string>());
vi.mock('../../src/cli/run', async (original) => (loaded.add('cli/run'), original()));
vi.mock('../../src/cli/open-engine', async (original) => (loaded.add('cli/open-engine'), original()));
vi.mock('../../src/core/engine', async (original) => (loaded.add('core/engine'), original()));
vi.mock('../../src/core/queue/store', async (original) => (loaded.add('core/queue/store'), original()));
vi.mock('../../src/core/db/open', async (original) => (loaded.add('core/db/open'), original()));
vi.mock('../../src/core/reconcile/reconciler', async (original) => (loaded.add('core/reconcile/reconciler'), original()));
vi.mock('../../src/core/export/service', async (original) => (loaded.add('core/export/service'), original()));

let dataDir = '';
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'i2m-cli-start-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

it('--help, --version, a usage error and deleting a preset load neither the engine nor the database', async () => {
  const { runCli, EXIT_OK, EXIT_USAGE } = await import('../../src/cli/main');
  expect(await runCli(['--help'])).toBe(EXIT_OK);
  expect(await runCli(['--version'])).toBe(EXIT_OK);
  expect(await runCli(['convert', '--help'])).toBe(EXIT_OK);
  expect(await runCli(['convert'])).toBe(EXIT_USAGE);
  expect(await runCli(['no-such-command'])).toBe(EXIT_USAGE);
  expect(await runCli(['export', '--delete-preset', 'nosuch', '--data-dir', dataDir])).toBe(EXIT_USAGE);
  expect([...loaded]).toEqual([]);

  // The commands that need them still get them.
  expect(await runCli(['list', '--data-dir', dataDir])).toBe(EXIT_OK);
  expect(loaded).toContain('cli/open-engine');
  expect(loaded).toContain('core/engine');
}, 60_000);
