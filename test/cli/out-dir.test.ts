// `--out <folder>`: a missing folder is made (parents too), a file is refused, and a folder that can
// never exist - /proc/self/<new>, where Node's recursive mkdir never settles - is a usage error at once.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureOutputFolder } from '../../src/cli/out-dir';

const work = mkdtempSync(join(tmpdir(), 'i2m-out-dir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const usage = (message: string) => new Error(`usage: ${message}`);

describe('ensureOutputFolder', () => {
  it('makes a missing folder and its parents', async () => {
    const dir = join(work, 'a', 'b', 'models');
    await ensureOutputFolder(dir, true, usage);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('refuses a file', async () => {
    const file = join(work, 'notes.txt');
    writeFileSync(file, 'x');
    await expect(ensureOutputFolder(file, true, usage)).rejects.toThrow(/usage: The output folder .* is a file/);
  });

  // Bounded: with a recursive mkdir this call never settles and the test times out.
  it.runIf(process.platform === 'linux')('answers a usage error for /proc/self/<new> instead of hanging', { timeout: 10_000 }, async () => {
    const dir = `/proc/self/i2m-out-${process.pid}`;
    await expect(ensureOutputFolder(dir, true, usage)).rejects.toThrow(/usage: Could not create the output folder \/proc\/self\//);
    expect(existsSync(dir)).toBe(false);
  });
});
