// The monthly spending cap set in the app holds the CLI's FAL jobs too (one data folder, one month's
// spend): a convert sends no more than the cap allows, follows the jobs FAL already has to their
// models, and ends saying what the cap holds and how to go on; raising the cap in the app lets
// `resume` finish them. The CLI used to ignore the cap and send every job.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { getModel } from '../../src/core/models/catalog';
import { SETTINGS_VERSION } from '../../src/core/settings/migrate';
import { makeTestPng } from '../fixtures/make-glb';
import { createHarness, TEST_KEY, type Harness } from '../core/engine/harness';
import { jsonLines, runCli, stopAllCliRuns } from '../support/cli-process';

const TRIPO = 'tripo3d/tripo/v2.5/image-to-3d';
let h: Harness | undefined;
const work = mkdtempSync(join(tmpdir(), 'i2m-cli-cap-'));
afterEach(async () => {
  await h?.close();
  h = undefined;
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

const setCap = (dataDir: string, usd: number | null) =>
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: SETTINGS_VERSION, settings: { spendingCapUsd: usd } }));

it('convert sends no more than the app\'s spending cap allows, finishes what FAL has, and says how to go on', async () => {
  h = await createHarness({ start: false });
  await h.engine.close();
  const price = getModel(TRIPO)!.estimateCostUsd('standard', {});
  expect(price).toBeGreaterThan(0);
  // Room for one job this month.
  setCap(h.dataDir, price);
  const photos = [];
  for (let i = 0; i < 3; i++) {
    const file = join(work, `photo-${i}.png`);
    writeFileSync(file, await makeTestPng(256, 256, { seed: 70 + i }));
    photos.push(file);
  }
  const out = join(work, 'models');
  const args = ['--model', TRIPO, '--preset', 'standard', '--data-dir', h.dataDir, '--fal-proxy', h.fake.url];
  const run = await runCli(['convert', ...photos, '--out', out, '--concurrency', '2', ...args], { env: { FAL_KEY: TEST_KEY } });

  expect(h.fake.submissions).toHaveLength(1);
  expect(run.code).toBe(1);
  // The job FAL had was followed to its model; the user learns why the others wait and what to do.
  expect(existsSync(join(out, 'photo-0.glb'))).toBe(true);
  expect(run.stdout).toMatch(/spending cap is reached.*The cap is set in the app's Settings; raise it there, then run `image2model resume` for the jobs it holds\./);
  expect(run.stdout).toMatch(/photo-1\.png: not finished \(queued\)/);

  // Raised in the app: resume finishes the held jobs.
  setCap(h.dataDir, price * 10);
  const resumed = await runCli(['resume', '--data-dir', h.dataDir, '--fal-proxy', h.fake.url, '--json'], { env: { FAL_KEY: TEST_KEY } });
  expect(existsSync(join(out, 'photo-2.glb'))).toBe(true);
  expect(resumed.code).toBe(0);
  expect(jsonLines(resumed.stdout).at(-1)).toMatchObject({ type: 'summary', succeeded: 2, pending: 0 });
  expect(h.fake.submissions).toHaveLength(3);
}, 180_000);
