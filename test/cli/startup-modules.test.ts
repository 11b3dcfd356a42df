// Commands that make no model start without the heavy modules only generating, checking and
// exporting need (each costs a share of every start; bench/cli-start.bench.ts has the figures), and
// run the bundled CLI (scripts/cli-bundle.mjs) rather than compiling the sources through tsx.
// The real bin runs in a child process that writes down every module it loads (record-loads.mjs).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../src/core/db/open';
import { runCli } from '../support/cli-process';

const RECORDER = pathToFileURL(join(process.cwd(), 'test/support/record-loads.mjs')).href;
const HEAVY = ['/sharp/', '/gltf-validator/', '/@gltf-transform/', '/three/', '/tsx/'];

let work = '';
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-modules-'));
  // `list` reads a library (a folder that holds none is answered as an empty one, without opening it).
  mkdirSync(join(work, 'data'));
  openDatabase(join(work, 'data')).close();
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const log = join(work, 'loaded.log');
  const result = await runCli(args, {
    env: {
      IMAGE2MODEL_DATA_DIR: join(work, 'data'),
      IMAGE2MODEL_TEST_LOAD_LOG: log,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${RECORDER}`.trim(),
    },
  });
  expect(result.code, result.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

it.each(['--version', '--help', 'list', 'list --json'])('`image2model %s` runs the bundle and loads no image, glTF, 3D or tsx module', async (command) => {
  const loaded = await modulesLoadedBy(command.split(' '));
  // The recorder works: the CLI's own code (bundled) is in the list.
  expect(loaded.some((path) => /[/\\]\.cache[/\\]cli[/\\]\w+[/\\]cli\.js$/.test(path.replace(/^file:\/\//, '')))).toBe(true);
  expect(loaded.filter((path) => HEAVY.some((heavy) => path.includes(heavy)))).toEqual([]);
}, 60_000);
