// Attack: the CLI's log does not make a data folder moved during a run anew at its old place - but only
// once it had written a line. A run logs nothing at its start (its first lines are about jobs: a retry,
// a failure), so a folder moved before the first line was made again by that line ("job failed: data
// folder gone"), leaving <data>/logs/cli.log where the user must put the real folder back.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createCliLogger } from '../../src/cli/logger';

const work = mkdtempSync(join(tmpdir(), 'i2m-cli-log-moved-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('a data folder there when the run started and moved before its first line is not made anew; lines resume once it is back', () => {
  const dataDir = join(work, 'data');
  mkdirSync(dataDir); // made by the engine's start, before any line
  const stderr: string[] = [];
  const logger = createCliLogger(dataDir, (line) => stderr.push(line));
  renameSync(dataDir, `${dataDir}-moved`);
  logger.warn('the data folder is gone');
  logger.error('the job could not go on');
  expect(existsSync(dataDir)).toBe(false);
  expect(stderr).toEqual(['image2model: the job could not go on\n']);
  renameSync(`${dataDir}-moved`, dataDir);
  logger.info('back');
  const lines = readFileSync(join(dataDir, 'logs', 'cli.log'), 'utf8').trim().split('\n');
  expect(lines.map((line) => line.split(' ').slice(2).join(' '))).toEqual(['info back']);
});

