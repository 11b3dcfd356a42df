// Attack (first run without a key): a photo dropped in the app for a FAL model waits for a key; the user
// then runs `image2model resume` without FAL_KEY. The CLI said "Add a FAL key in Settings to run the
// waiting jobs" - but the CLI does not read the app's key, so after doing exactly that, resume said it
// again - and for the job "run `image2model resume` to finish it", the command just run. Now it says
// the CLI takes the key from FAL_KEY and gives the command that works.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createAppCore } from '../../src/core/app-core';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const dataDir = mkdtempSync(join(tmpdir(), 'i2m-resume-no-key-'));
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(dataDir, { recursive: true, force: true });
});

it('resume without FAL_KEY says to set FAL_KEY, with the command, for a job the app left waiting for a key', async () => {
  const core = createAppCore({
    dataDir,
    keys: createMemoryKeyVault({}),
    settings: createFileSettingsStore(join(dataDir, 'settings.json')),
    platform: createHeadlessPlatform(),
    appInfo: { name: 'Image2Model', version: '0.0.0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  await core.start(() => {});
  const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '../../resources/samples/duck.jpg')));
  const added = await core.dispatch('jobs:add', { endpoint: 'tripo3d/tripo/v2.5/image-to-3d', items: [{ kind: 'bytes', name: 'duck.jpg', bytes }] });
  expect(added.ok).toBe(true);
  await core.stop();

  const run = await runCli(['resume', '--data-dir', dataDir]);
  expect(run.code).toBe(1);
  const said = run.stdout + run.stderr;
  expect(said).toContain('FAL_KEY=your-key image2model resume');
  expect(said).toMatch(/duck\.jpg: waits for a FAL key/);
  expect(said).not.toMatch(/in Settings to run the waiting jobs/);
  expect(said).not.toMatch(/duck\.jpg: not finished \(queued\); run `image2model resume`/);
}, 60_000);
