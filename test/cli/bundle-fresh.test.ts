// The bin runs the CLI bundled from the sources (scripts/cli-bundle.mjs); it must never run a bundle
// older than the sources. Each test runs the real bin of a copy of the repository (its sources, the
// bin, the bundle script; node_modules linked) and edits that copy's sources between runs.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, expect, it } from 'vitest';

const COPIED = ['src/cli', 'src/core', 'src/shared', 'bin', 'scripts/cli-bundle.mjs', 'package.json', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.node.json'];
const DESCRIPTION = 'Turn photos and drawings into textured 3D models (GLB).';

let repo = '';
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'i2m-cli-bundle-'));
  for (const path of COPIED) cpSync(join(process.cwd(), path), join(repo, path), { recursive: true });
  symlinkSync(join(process.cwd(), 'node_modules'), join(repo, 'node_modules'), 'dir');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function run(args: string[], nodeArgs: string[] = []) {
  const env = { ...process.env, IMAGE2MODEL_DATA_DIR: join(repo, 'data'), FAL_KEY: undefined, IMAGE2MODEL_CLI_FROM_SOURCE: undefined };
  return spawnSync(process.execPath, [...nodeArgs, join(repo, 'bin/image2model.mjs'), ...args], { env, encoding: 'utf8', timeout: 90_000 });
}

/** The stamp the copy's bundle script gives its sources now (a child process: the script is plain JavaScript). */
function stamp(): string {
  const script = `const { sourceStamp } = await import(${JSON.stringify(join(repo, 'scripts/cli-bundle.mjs'))}); process.stdout.write(sourceStamp(${JSON.stringify(repo)}));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

const builds = () => readdirSync(join(repo, '.cache/cli')).filter((name) => !name.startsWith('.'));

function editSource(path: string, from: string, to: string) {
  const file = join(repo, path);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

it('runs an edited source on the next start (a new bundle), never the one built before the edit', () => {
  expect(run(['--help']).stdout).toContain(DESCRIPTION);
  expect(builds()).toHaveLength(1);
  expect(run(['--help']).stdout).toContain(DESCRIPTION);
  expect(builds()).toHaveLength(1); // unchanged sources: the same bundle

  editSource('src/cli/main.ts', DESCRIPTION, 'Edited description.');
  const edited = run(['--help']);
  expect(edited.status, edited.stderr).toBe(0);
  expect(edited.stdout).toContain('Edited description.');
  expect(builds()).toHaveLength(2);

  // A file the bundle reads from outside src/ counts too (the version comes from package.json).
  editSource('package.json', '"version": "0.1.0"', '"version": "9.8.7"');
  expect(run(['--version']).stdout.trim()).toBe('9.8.7');
}, 120_000);

it('a source that does not compile is reported (through tsx), never run from the previous bundle', () => {
  expect(run(['--version']).stdout.trim()).toBe('0.1.0');
  editSource('src/cli/main.ts', 'export const EXIT_OK = 0;', 'export const EXIT_OK = ;');
  const broken = run(['--version']);
  expect(broken.status).not.toBe(0);
  expect(broken.stdout).not.toContain('0.1.0');
  expect(broken.stderr).toContain('main.ts');
}, 120_000);

it('a source saved while the bundle builds is never run later under the stamp of the sources before the save', () => {
  // In one process: the stamp is taken, then the save lands before esbuild reads the file (the
  // build's first await), as an editor's save during a start would.
  const script = `
    import { readFileSync, writeFileSync } from 'node:fs';
    const { bundledCli } = await import(${JSON.stringify(join(repo, 'scripts/cli-bundle.mjs'))});
    const file = ${JSON.stringify(join(repo, 'src/cli/main.ts'))};
    const before = readFileSync(file, 'utf8');
    const building = bundledCli(${JSON.stringify(repo)});
    writeFileSync(file, before.replace(${JSON.stringify(DESCRIPTION)}, 'Saved during the build.'));
    await building.catch(() => {});
    writeFileSync(file, before); // the save undone (an editor's undo, a git checkout)`;
  const saved = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 90_000 });
  expect(saved.status, saved.stderr).toBe(0);

  const undone = run(['--help']);
  expect(undone.status, undone.stderr).toBe(0);
  expect(undone.stdout).toContain(DESCRIPTION);
  expect(undone.stdout).not.toContain('Saved during the build.');
}, 120_000);

it('a build missing one of its parts is set aside and built anew at start, before anything runs', () => {
  expect(run(['--version']).status).toBe(0);
  const [build] = builds();
  const dir = join(repo, '.cache/cli', build!);
  // A chunk cli.js imports at start, removed (by hand, or a clean-up killed half way).
  const chunk = /from\s*"\.\/(chunk-[\w-]+\.js)"/.exec(readFileSync(join(dir, 'cli.js'), 'utf8'))?.[1];
  expect(chunk).toBeDefined();
  rmSync(join(dir, chunk!));

  const damaged = run(['--version']);
  expect(damaged.status, damaged.stderr).toBe(0);
  expect(damaged.stdout.trim()).toBe('0.1.0');
  expect(readdirSync(join(repo, '.cache/cli', build!))).toContain(chunk);
  expect(run(['--version']).status).toBe(0);
}, 120_000);

it('a build missing a part only one command loads (a lazy import) is found at start, not when that command runs', () => {
  expect(run(['--version']).status).toBe(0);
  const [build] = builds();
  const dir = join(repo, '.cache/cli', build!);
  // Loaded by `export` alone: --version never imports it.
  const lazy = /import\(\s*"\.\/(preset-store-[\w-]+\.js)"\s*\)/.exec(readFileSync(join(dir, 'cli.js'), 'utf8'))?.[1];
  expect(lazy).toBeDefined();
  rmSync(join(dir, lazy!));

  const start = run(['--version']);
  expect(start.status, start.stderr).toBe(0);
  expect(start.stdout.trim()).toBe('0.1.0');
  // Built anew whole: the command that loads it would find it.
  expect(readdirSync(join(repo, '.cache/cli', build!))).toContain(lazy);
  expect(builds()).toEqual([build]);
}, 120_000);

it('a build with a part cut short (empty after a power cut, half written) is built anew at start, even a lazy one', () => {
  expect(run(['--version']).status).toBe(0);
  const [build] = builds();
  const dir = join(repo, '.cache/cli', build!);
  // A file renamed into place is not yet on disk: a power cut soon after leaves it empty or cut short.
  const chunk = /from\s*"\.\/(chunk-[\w-]+\.js)"/.exec(readFileSync(join(dir, 'cli.js'), 'utf8'))?.[1];
  expect(chunk).toBeDefined();
  const whole = readFileSync(join(dir, chunk!), 'utf8');
  writeFileSync(join(dir, chunk!), '');
  const emptied = run(['--version']);
  expect(emptied.status, emptied.stderr).toBe(0);
  expect(emptied.stdout.trim()).toBe('0.1.0');
  expect(readFileSync(join(repo, '.cache/cli', build!, chunk!), 'utf8')).toBe(whole);

  // Loaded by `export` alone: --version never imports it, but the start finds it cut short.
  const lazy = /import\(\s*"\.\/(preset-store-[\w-]+\.js)"\s*\)/.exec(readFileSync(join(dir, 'cli.js'), 'utf8'))?.[1];
  expect(lazy).toBeDefined();
  const lazyWhole = readFileSync(join(dir, lazy!), 'utf8');
  writeFileSync(join(dir, lazy!), lazyWhole.slice(0, lazyWhole.length >> 1));
  expect(run(['--version']).status).toBe(0);
  expect(readFileSync(join(repo, '.cache/cli', build!, lazy!), 'utf8')).toBe(lazyWhole);
}, 120_000);

it('a clean-up of old builds killed half way never leaves part of a build under its stamp', () => {
  expect(run(['--version']).status).toBe(0);
  const [old] = builds();
  // Unused for 8 days: the next new build removes it.
  const longAgo = new Date(Date.now() - 8 * 24 * 3600_000);
  utimesSync(join(repo, '.cache/cli', old!), longAgo, longAgo);
  editSource('src/cli/main.ts', DESCRIPTION, 'Edited description.');
  const killed = run(['--help'], ['--import', pathToFileURL(join(process.cwd(), 'test/support/kill-in-prune.mjs')).href]);
  expect(killed.signal).toBe('SIGKILL');
  // The old build is whole or gone - never half there, where the sources going back would find it.
  const oldDir = join(repo, '.cache/cli', old!);
  expect(existsSync(oldDir) ? readdirSync(oldDir).length : 0, 'files left in the old build').toBe(0);

  // The sources back as they were: that build runs (made anew), and the next clean-up finishes the removal.
  editSource('src/cli/main.ts', 'Edited description.', DESCRIPTION);
  const back = run(['--help']);
  expect(back.status, back.stderr).toBe(0);
  expect(back.stdout).toContain(DESCRIPTION);
  expect(readdirSync(join(repo, '.cache/cli')).filter((name) => name.startsWith('.'))).toEqual([]);
}, 120_000);

it('a change to the tsconfig the build reads, or to the esbuild version, gives a new build', () => {
  expect(run(['--version']).status).toBe(0);
  const [first] = builds();
  expect(stamp()).toBe(first);
  // tsconfig.node.json extends tsconfig.base.json: a change to either is one the build reads.
  editSource('tsconfig.base.json', '"strict": true,', '"strict": true,\n    "useDefineForClassFields": false,');
  expect(run(['--version']).status).toBe(0);
  expect(builds()).toHaveLength(2);
  expect(builds()).toContain(stamp());

  // Another esbuild (an npm update): its package.json is all the stamp reads of it.
  const before = stamp();
  rmSync(join(repo, 'node_modules'));
  mkdirSync(join(repo, 'node_modules/esbuild'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/esbuild/package.json'), 'utf8')) as { version: string };
  writeFileSync(join(repo, 'node_modules/esbuild/package.json'), JSON.stringify({ ...pkg, version: `${pkg.version}-next` }));
  expect(stamp()).not.toBe(before);
}, 120_000);

it('a folder linked into src/ is followed: the bundle runs (not tsx) and a change in it gives a new build', () => {
  // src/cli/linked -> <repo>/extra (outside the source folders), imported by main.ts.
  mkdirSync(join(repo, 'extra'));
  writeFileSync(join(repo, 'extra/text.ts'), "export const LINKED_DESCRIPTION = 'Linked description.';\n");
  symlinkSync(join(repo, 'extra'), join(repo, 'src/cli/linked'), 'dir');
  editSource('src/cli/main.ts', `.description('${DESCRIPTION}')`, '.description(LINKED_DESCRIPTION)');
  const main = join(repo, 'src/cli/main.ts');
  writeFileSync(main, `import { LINKED_DESCRIPTION } from './linked/text';\n${readFileSync(main, 'utf8')}`);

  const first = run(['--help']);
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toContain('Linked description.');
  expect(builds()).toHaveLength(1);

  writeFileSync(join(repo, 'extra/text.ts'), "export const LINKED_DESCRIPTION = 'Changed through the link.';\n");
  const changed = run(['--help']);
  expect(changed.status, changed.stderr).toBe(0);
  expect(changed.stdout).toContain('Changed through the link.');
  expect(builds()).toHaveLength(2);
}, 120_000);
