// A data folder that can never exist (/proc/self/<new>, where Node's recursive mkdirSync never
// returns) ends a CLI run at once with the reason, instead of hanging it.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, stopAllCliRuns } from '../support/cli-process';

afterAll(() => stopAllCliRuns());

describe('the CLI data folder', () => {
  // Bounded: before, the run never ended and this test timed out.
  it.runIf(process.platform === 'linux')('a folder that cannot be made is an error, not a hang', { timeout: 20_000 }, async () => {
    const dataDir = `/proc/self/i2m-data-${process.pid}`;
    const result = await runCli(['list', '--data-dir', dataDir, '--json']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(dataDir);
  });
});
