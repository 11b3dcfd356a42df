// runCli's answer holds everything the process wrote: it waits for the end of stdout and stderr, not
// only for the exit, which can come first (here a process it started writes after it has exited).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { runNode, stopAllCliRuns } from './cli-process';

let work = '';
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'i2m-cli-process-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));
afterAll(stopAllCliRuns);

/** Starts a helper that shares its stderr and writes to it once `marker` exists, then exits at once. */
const PARENT = `
const { spawn } = require('node:child_process');
const helper = \`const { existsSync } = require('node:fs');
const wait = setInterval(() => {
  if (!existsSync(process.argv[1])) return;
  clearInterval(wait);
  process.stderr.write('written after the exit\\\\n');
}, 10);\`;
spawn(process.execPath, ['-e', helper, process.argv[1]], { stdio: ['ignore', 'ignore', 'inherit'] }).unref();
process.stderr.write('written before the exit\\n');
`;

it('holds the stderr written after the exit, up to the end of the stream', async () => {
  const marker = join(work, 'exited');
  // The helper writes only once the test has seen the exit: an answer given at the exit misses it.
  const result = await runNode(['-e', PARENT, marker], { onSpawn: (child) => child.on('exit', () => writeFileSync(marker, '')) });
  expect(existsSync(marker)).toBe(true);
  expect(result).toEqual({ code: 0, stdout: '', stderr: 'written before the exit\nwritten after the exit\n' });
});
