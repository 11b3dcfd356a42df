// `image2model models --data-dir <missing folder>` with a key: the listing (FAL's prices read, for this
// run only) makes no data folder - its price cache write made the folder anew - and says the folder does
// not exist and what to do. The real bin, the fake FAL server's price list.
// An existing folder that holds no library (the home folder as --data-dir) got fal-prices.json written
// into it, while list/stats/reconcile/export write nothing there (d52c3fa): prices are now kept only in a
// folder that holds a library, and the listing says so.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
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

it('writes nothing into a folder that holds no library: prices for this run only, and says so', async () => {
  const home = mkdtempSync(join(work, 'home-'));
  writeFileSync(join(home, 'notes.txt'), 'mine');
  const run = await runCli(['models', '--data-dir', home, '--fal-proxy', fake.url], { env: { FAL_KEY: 'cli-test-key-123456' } });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/tripo3d\/tripo\/v2\.5\/image-to-3d\n.*\n {2}presets: draft \$0\.23/);
  expect(readdirSync(home)).toEqual(['notes.txt']);
  expect(run.stderr).toContain(`No library in ${home}`);
  expect(run.stderr).toMatch(/FAL's prices are not kept\. Check --data-dir/);
}, 60_000);

// The test before d52c3fa's rule wrote the cache into an empty folder; a library's folder keeps it.
it('keeps FAL prices in a data folder that holds a library', async () => {
  const dir = mkdtempSync(join(work, 'data-'));
  openDatabase(dir).close();
  const run = await runCli(['models', '--data-dir', dir, '--fal-proxy', fake.url], { env: { FAL_KEY: 'cli-test-key-123456' } });
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  expect(existsSync(join(dir, 'fal-prices.json'))).toBe(true);
}, 60_000);
