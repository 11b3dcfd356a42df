// The commands that only read the data folder (list, stats, reconcile, export) given one that does not
// exist: they made it, empty, and recorded it as a library - a mistyped --data-dir became a "library",
// refused as "held your library ... missing" once removed. Now they say it does not exist and what to
// check (exit 2, a usage error), and make and record nothing; `resume` (it adds work) still makes it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const root = mkdtempSync(join(tmpdir(), 'i2m-read-only-dir-'));
const record = join(root, 'known-data-folders.json');
const env = { IMAGE2MODEL_KNOWN_FOLDERS: record, IMAGE2MODEL_DATA_DIR: undefined, XDG_CONFIG_HOME: join(root, 'config') };
const recorded = () => (existsSync(record) ? readFileSync(record, 'utf8') : '');

afterAll(async () => {
  await stopAllCliRuns();
  rmSync(root, { recursive: true, force: true });
});

const READ_ONLY = [['list'], ['stats'], ['reconcile'], ['export', 'some-model-id', '--plan'], ['export', 'some-model-id', 'out.glb'], ['export', '--delete-preset', 'mine']];

describe('a read-only command on a data folder that does not exist', () => {
  it.each(READ_ONLY.map((args) => [args.join(' '), args] as const))('%s --data-dir <missing>: says so, exit 2, nothing made or recorded', { timeout: 60_000 }, async (_name, args) => {
    const missing = join(root, `typo-${args.join('-')}`);
    const result = await runCli([...args, '--data-dir', missing], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The data folder ${missing} does not exist`);
    expect(result.stderr).toContain('Check --data-dir (or IMAGE2MODEL_DATA_DIR): the app shows its data folder in Settings, under About.');
    expect(existsSync(missing)).toBe(false);
    expect(recorded()).not.toContain(missing);
  });

  it('named by IMAGE2MODEL_DATA_DIR: the same', { timeout: 60_000 }, async () => {
    const missing = join(root, 'typo-env');
    const result = await runCli(['list', '--json'], { env: { ...env, IMAGE2MODEL_DATA_DIR: missing } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The data folder ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
    expect(recorded()).not.toContain(missing);
  });

  it("the app's own folder not made yet: says the app or convert makes it, and makes nothing", { timeout: 60_000 }, async () => {
    const result = await runCli(['stats'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/The app's data folder .* does not exist yet \(the app or `image2model convert` makes it\)/);
    expect(existsSync(join(root, 'config'))).toBe(false);
  });

  it('resume (it adds work) still makes the folder, and the read-only commands then read it', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'new-library');
    expect((await runCli(['resume', '--data-dir', dataDir], { env })).code).toBe(0);
    expect(existsSync(join(dataDir, 'image2model.db'))).toBe(true);
    expect(recorded()).toContain(dataDir);
    const list = await runCli(['list', '--data-dir', dataDir], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('The library is empty');
  });
});
