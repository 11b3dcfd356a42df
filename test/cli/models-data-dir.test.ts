// `image2model models --data-dir <missing folder>` with a key: the listing (FAL's prices read, for this
// run only) makes no data folder - its price cache write made the folder anew - and says the folder does
// not exist and what to do. The real bin, the fake FAL server's price list.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
let fake: FakeFal;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-models-dir-'));
  fake = await startFakeFal({ platform: { prices: { 'tripo3d/tripo/v2.5/image-to-3d': { unitPrice: 0.23 } } } });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
});

it('lists the models with FAL prices, makes no data folder and says it does not exist', async () => {
  const missing = join(work, 'no-such-folder');
  const run = await runCli(['models', '--data-dir', missing, '--fal-proxy', fake.url], { env: { FAL_KEY: 'cli-test-key-123456' } });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/tripo3d\/tripo\/v2\.5\/image-to-3d\n.*\n {2}presets: draft \$0\.23/);
  expect(existsSync(missing)).toBe(false);
  expect(run.stderr).toContain(`The data folder ${missing} does not exist`);
  expect(run.stderr).toMatch(/Check --data-dir/);
}, 60_000);

it('keeps FAL prices in a data folder that exists', async () => {
  const dir = mkdtempSync(join(work, 'data-'));
  const run = await runCli(['models', '--data-dir', dir, '--fal-proxy', fake.url], { env: { FAL_KEY: 'cli-test-key-123456' } });
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  expect(existsSync(join(dir, 'fal-prices.json'))).toBe(true);
}, 60_000);
