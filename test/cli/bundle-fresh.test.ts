// The bin runs the CLI bundled from the sources (scripts/cli-bundle.mjs); it must never run a bundle
// older than the sources. Each test runs the real bin of a copy of the repository (its sources, the
// bin, the bundle script; node_modules linked) and edits that copy's sources between runs.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

function run(args: string[]) {
  const env = { ...process.env, IMAGE2MODEL_DATA_DIR: join(repo, 'data'), FAL_KEY: undefined, IMAGE2MODEL_CLI_FROM_SOURCE: undefined };
  return spawnSync(process.execPath, [join(repo, 'bin/image2model.mjs'), ...args], { env, encoding: 'utf8', timeout: 90_000 });
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

it('a build missing one of its parts is set aside: that start runs the sources, the next one builds anew', () => {
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
  const next = run(['--version']);
  expect(next.status, next.stderr).toBe(0);
  expect(readdirSync(join(repo, '.cache/cli', build!))).toContain(chunk);
}, 120_000);
