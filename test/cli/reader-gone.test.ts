// `image2model list | head -1`: the reader of the CLI's output goes away before the CLI has written
// all of it. The rest of the output is dropped; the command ends as it would, with no stack trace.
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/core/db/open';
import { runCli, stopAllCliRuns } from '../support/cli-process';

let work = '';
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-reader-gone-'));
  // `list` reads a library (a folder that holds none is answered as an empty one, without opening it).
  mkdirSync(join(work, 'data'));
  openDatabase(join(work, 'data')).close();
});
afterEach(() => rmSync(work, { recursive: true, force: true }));
afterAll(stopAllCliRuns);

it.each(['--version', 'models', 'list'])('`image2model %s` whose output nobody reads any more ends normally, without a crash', async (command) => {
  const result = await runCli(command.split(' '), {
    env: { IMAGE2MODEL_DATA_DIR: join(work, 'data') },
    // The reading end closed before the CLI writes (a `head` that has had its line).
    onSpawn: (child) => child.stdout!.destroy(),
  });
  expect(result.stderr).not.toMatch(/EPIPE|Unhandled 'error' event|at \S+ \(/);
  expect(result.code).toBe(0);
}, 60_000);
