// A data folder that can never exist (/proc/self/<new>, where Node's recursive mkdirSync never
// returns) ends a CLI run at once with the reason, instead of hanging it.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, stopAllCliRuns } from '../support/cli-process';

afterAll(() => stopAllCliRuns());

describe('the CLI data folder', () => {
  // Bounded: before, the run never ended and this test timed out.
  // resume and a read-only command with --start-fresh make the folder through the database's open
  // (resume hung there: openDatabase made it with a recursive mkdirSync); list refuses a missing one.
  const commands = [['list'], ['resume'], ['stats', '--start-fresh']];
  it.runIf(process.platform === 'linux').each(commands.map((args) => [args.join(' '), args] as const))('%s: a folder that cannot be made is an error, not a hang', { timeout: 20_000 }, async (_name, args) => {
    const dataDir = `/proc/self/i2m-data-${process.pid}`;
    const result = await runCli([...args, '--data-dir', dataDir, '--json']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(dataDir);
  });
});
