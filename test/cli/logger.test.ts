// The CLI's log: it makes its folder (parents too) and writes every line there; a data folder where
// no folder can be made - /proc/self/<new>, where a recursive mkdirSync never returns - costs the log,
// never the run: the logger returns and errors still reach stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createCliLogger } from '../../src/cli/logger';

const work = mkdtempSync(join(tmpdir(), 'i2m-cli-log-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LOGGER = pathToFileURL(join(import.meta.dirname, '../../src/cli/logger.ts')).href;

describe('the CLI logger', () => {
  it('makes the missing data and log folders and appends each line; errors also go to stderr', () => {
    const dataDir = join(work, 'new', 'data');
    const stderr: string[] = [];
    const logger = createCliLogger(dataDir, (line) => stderr.push(line));
    logger.info('started');
    logger.error('the model could not be saved');
    const lines = readFileSync(join(dataDir, 'logs', 'cli.log'), 'utf8').trim().split('\n');
    expect(lines.map((line) => line.split(' ').slice(2).join(' '))).toEqual(['info started', 'error the model could not be saved']);
    expect(stderr).toEqual(['image2model: the model could not be saved\n']);
  });

  it('does not make a data folder moved during the run anew at its old place, and logs again once it is back', () => {
    const dataDir = join(work, 'moving', 'data');
    const logger = createCliLogger(dataDir, () => undefined);
    logger.info('started');
    renameSync(dataDir, `${dataDir}-moved`);
    logger.warn('the data folder is gone');
    logger.error('the job could not go on');
    expect(existsSync(dataDir)).toBe(false);
    renameSync(`${dataDir}-moved`, dataDir);
    logger.info('back');
    const lines = readFileSync(join(dataDir, 'logs', 'cli.log'), 'utf8').trim().split('\n');
    expect(lines.map((line) => line.split(' ').slice(2).join(' '))).toEqual(['info started', 'info back']);
  });

  // In a child, bounded: with a recursive mkdirSync the logger never returns and the child is killed.
  it.runIf(process.platform === 'linux')('returns for a data folder under /proc/self, and still reports errors', () => {
    const script = `
      const { createCliLogger } = await import(${JSON.stringify(LOGGER)});
      const logger = createCliLogger('/proc/self/i2m-data-' + process.pid);
      logger.info('started');
      logger.error('it went wrong');
      console.log('returned');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe('returned');
    expect(child.stderr).toContain('image2model: it went wrong');
  });
});

it('writes control characters escaped in cli.log, so cat or tail of it cannot drive the terminal', () => {
  const dataDir = join(work, 'escapes');
  const logger = createCliLogger(dataDir, () => {});
  logger.info('FAL: \u001b]52;c;cm0gLXJmIH4=\u0007 \u001b[2J done \u202eevil', { detail: 'line\u009b1m\nnext' });
  logger.warn('a name\nthat tries 2026-01-01T00:00:00.000Z 1 error forged');
  const text = readFileSync(join(dataDir, 'logs', 'cli.log'), 'utf8');
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  expect(text).toContain('FAL: \\x1b]52;c;cm0gLXJmIH4=\\x07 \\x1b[2J done \\u202eevil');
  expect(text.split('\n').filter((line) => line !== '' && !line.startsWith(' '))).toHaveLength(2);
});
