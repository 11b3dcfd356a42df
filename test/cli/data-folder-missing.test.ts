// A data folder that held the library and is missing now (moved, removed, a drive not connected) is
// not made anew empty at its old place by the next CLI run: the run says so and what to do, the real
// folder can be put back and its jobs are all there; --start-fresh is the way to an empty library.
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const root = mkdtempSync(join(tmpdir(), 'i2m-folder-missing-'));
const env = { IMAGE2MODEL_KNOWN_FOLDERS: join(root, 'known-data-folders.json') };

afterAll(async () => {
  await stopAllCliRuns();
  rmSync(root, { recursive: true, force: true });
});

describe('a CLI run on a data folder gone missing', () => {
  it('a first run still makes the folder', async () => {
    const dataDir = join(root, 'first', 'data');
    const result = await runCli(['resume', '--data-dir', dataDir], { env });
    expect(result.code).toBe(0);
    expect(existsSync(join(dataDir, 'image2model.db'))).toBe(true);
  });

  it('is refused, naming the folder and what to do, and nothing is made there', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'drive', 'data');
    expect((await runCli(['resume', '--data-dir', dataDir], { env })).code).toBe(0);
    const moved = join(root, 'moved');
    renameSync(join(root, 'drive'), moved); // the drive unplugged, the folder moved away

    for (const args of [['list'], ['stats'], ['reconcile']]) {
      const result = await runCli([...args, '--data-dir', dataDir], { env });
      expect(result.code, args[0]).toBe(1);
      expect(result.stderr, args[0]).toContain(`The data folder ${dataDir} held your library`);
      expect(result.stderr, args[0]).toContain('Put the folder back');
      expect(result.stderr, args[0]).toContain('--start-fresh');
      expect(existsSync(join(root, 'drive')), args[0]).toBe(false);
    }

    renameSync(moved, join(root, 'drive')); // put back: it opens as before
    expect((await runCli(['list', '--data-dir', dataDir], { env })).code).toBe(0);
  });

  it('--start-fresh makes an empty library there, on purpose', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'fresh', 'data');
    expect((await runCli(['resume', '--data-dir', dataDir], { env })).code).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
    const result = await runCli(['list', '--data-dir', dataDir, '--start-fresh'], { env });
    expect(result.code).toBe(0);
    expect(existsSync(join(dataDir, 'image2model.db'))).toBe(true);
    expect((await runCli(['list', '--data-dir', dataDir], { env })).code).toBe(0);
  });
});
