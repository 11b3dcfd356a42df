// `export --out DIR` makes DIR only when a model is about to be written there: an export that fails
// (an id not in the library) leaves no empty folder behind. The real bin on a temp data folder.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
import { runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-export-out-'));
  // export reads a library (a folder that holds none is answered as an empty one, without opening it).
  mkdirSync(join(work, 'data'));
  openDatabase(join(work, 'data')).close();
});
afterAll(async () => {
  await stopAllCliRuns();
  rmSync(work, { recursive: true, force: true });
});

it('an export of an id not in the library fails and makes no --out folder', async () => {
  const out = join(work, 'prints');
  const run = await runCli(['export', 'no-such-model', '--preset', 'print', '--out', out, '--data-dir', join(work, 'data')]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('no-such-model');
  expect(existsSync(out)).toBe(false);
}, 60_000);

it('--out naming a file is still refused before anything is done (exit 2)', async () => {
  const run = await runCli(['export', 'no-such-model', '--out', join(process.cwd(), 'package.json'), '--data-dir', join(work, 'data')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/is a file, not a folder/);
}, 60_000);
