// The commands that only read the data folder (list, stats, reconcile, export) given one that does not
// exist: they made it, empty, and recorded it as a library - a mistyped --data-dir became a "library",
// refused as "held your library ... missing" once removed. Now they say it does not exist and what to
// check (exit 2, a usage error), and make and record nothing; `resume` (it adds work) still makes it.
// The app's default folder not made yet (a fresh machine, the README's first commands) is no typo: there
// they answer as an empty library (exit 0, a one-line note on stderr) - they gave a usage error.
// An existing folder that holds no library (the user's home folder as --data-dir) is answered the same
// way: `list` and `stats` made a database there, turning it into a "library".
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/open';
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

describe("a read-only command on a fresh machine (the app's default data folder not made yet)", () => {
  // Nothing named: the default folder is under XDG_CONFIG_HOME (Linux), its record of libraries beside it.
  const fresh = join(root, 'fresh');
  const freshEnv = { IMAGE2MODEL_DATA_DIR: undefined, IMAGE2MODEL_KNOWN_FOLDERS: undefined, HOME: join(fresh, 'home'), XDG_CONFIG_HOME: join(fresh, 'config') };
  const emptyLibrary = join(root, 'empty-library');
  const NOTE = /^No library yet \(the app's data folder .*Image2Model does not exist\): `image2model convert` or the app makes it\.$/;

  const onFreshMachine = async (args: string[]) => {
    mkdirSync(join(fresh, 'home'), { recursive: true });
    const result = await runCli(args, { env: freshEnv });
    expect(result.stderr.trim()).toMatch(NOTE);
    expect(readdirSync(fresh)).toEqual(['home']);
    expect(readdirSync(join(fresh, 'home'))).toEqual([]);
    return result;
  };

  const COMMANDS = [['list'], ['list', '--json'], ['stats'], ['stats', '--json'], ['stats', '--prometheus'], ['reconcile'], ['reconcile', '--json']];
  it.each(COMMANDS.map((argv) => [argv.join(' '), argv] as const))(
    '%s: what an empty library answers, exit 0, nothing made or recorded',
    { timeout: 60_000 },
    async (_name, argv) => {
      mkdirSync(emptyLibrary, { recursive: true });
      const empty = await runCli([...argv, '--data-dir', emptyLibrary], { env });
      expect(empty.code).toBe(0);
      const result = await onFreshMachine(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(empty.stdout);
      if (argv.includes('--json') && argv[0] !== 'list') expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
    },
  );

  it('models: its list, exit 0', { timeout: 60_000 }, async () => {
    const result = await onFreshMachine(['models']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('fal-ai/');
  });

  it('export <id> <file> and export <id> --plan: no model with that id (exit 1), nothing written', { timeout: 60_000 }, async () => {
    const file = join(root, 'out.glb');
    const legacy = await runCli(['export', 'some-model-id', file], { env: freshEnv });
    expect(legacy.code).toBe(1);
    expect(legacy.stderr).toContain('No model with id some-model-id.');
    expect(existsSync(file)).toBe(false);
    const plan = await onFreshMachine(['export', 'some-model-id', '--plan', '--json']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('"message":"No model with id some-model-id."');
  });

  it('export --delete-preset: no saved preset (exit 2, as in an empty library)', { timeout: 60_000 }, async () => {
    const result = await runCli(['export', '--delete-preset', 'mine'], { env: freshEnv });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No saved preset "mine". You have no saved presets.');
    expect(existsSync(join(fresh, 'config'))).toBe(false);
  });
});

describe('a read-only command on an existing folder that holds no library (the home folder as --data-dir)', () => {
  const library = join(root, 'a-library');
  const NOTE = /^No library in .*not-a-library \(it holds no image2model\.db\), so there is nothing to read and nothing was made there\. Check --data-dir \(or IMAGE2MODEL_DATA_DIR\): the app shows its data folder in Settings, under About\.$/;
  const COMMANDS = [['list'], ['list', '--json'], ['stats'], ['stats', '--json'], ['stats', '--prometheus'], ['reconcile'], ['reconcile', '--json'], ['export', 'some-model-id', '--plan', '--json']];

  it.each(COMMANDS.map((argv) => [argv.join(' '), argv] as const))(
    '%s: what an empty library answers, a one-line note, nothing written or recorded',
    { timeout: 60_000 },
    async (_name, argv) => {
      // An empty library (its database made), for what the command answers there.
      if (!existsSync(library)) {
        mkdirSync(library);
        openDatabase(library).close();
      }
      const empty = await runCli([...argv, '--data-dir', library], { env });
      const home = join(root, `not-a-library-${argv.join('-')}`.replace(/-+$/, ''));
      mkdirSync(join(home, 'Documents'), { recursive: true });
      writeFileSync(join(home, 'notes.txt'), 'mine');
      const result = await runCli([...argv, '--data-dir', home], { env });
      expect(result.code).toBe(empty.code);
      expect(result.stdout).toBe(empty.stdout);
      expect(result.stderr.trim().replace(/not-a-library-\S*? \(/, 'not-a-library (')).toMatch(NOTE);
      expect(readdirSync(home).sort()).toEqual(['Documents', 'notes.txt']);
      expect(readdirSync(join(home, 'Documents'))).toEqual([]);
      expect(recorded()).not.toContain(home);
    },
  );
});
