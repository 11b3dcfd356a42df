#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .native/, leaving node_modules' Node build untouched,
// so `npm start` (Electron) and `npm test` (Node) both work from one install. The main process loads
// this copy through better-sqlite3's `nativeBinding` option.
// It never runs in tests or CI: with no Electron binary there is nothing to build for.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

export function electronBindingPath(version, platform = process.platform, arch = process.arch) {
  return join(root, '.native', `electron-${version}-${platform}-${arch}`, 'better_sqlite3.node');
}

/** The lowest Node an `engines.node` range such as ">= 22.12.0" names, as [major, minor, patch]; null if none. */
export function lowestNode(range) {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(range ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/** One line for a Node older than Electron's tools declare (they may still work: npm only warns). */
export function nodeWarning(nodeVersion, range) {
  const want = lowestNode(range);
  const have = lowestNode(nodeVersion);
  if (!want || !have) return null;
  const older = have[0] !== want[0] ? have[0] < want[0] : have[1] !== want[1] ? have[1] < want[1] : have[2] < want[2];
  if (!older) return null;
  return `Electron's tools declare Node ${want.join('.')} or newer; this is Node ${have.join('.')}. Tests and the CLI work on it; if Electron fails to download or start, switch to Node 22 LTS (for example \`nvm use 22\`) and run \`npm install\` again.`;
}

function main() {
  const electronPkg = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8'));
  const electronVersion = electronPkg.version;
  const warning = nodeWarning(process.versions.node, electronPkg.engines?.node);
  if (warning) console.warn(warning);
  try {
    // On a user's machine this downloads Electron's binary the first time (it has no install script).
    require('electron');
  } catch (error) {
    console.error(`Electron is not available on this machine (${error.message.split('\n')[0]}).`);
    console.error('The desktop app needs it; tests and the CLI do not (`npm test`, `npx image2model`).');
    process.exit(1);
  }
  const target = electronBindingPath(electronVersion);
  if (existsSync(target)) return;

  console.log(`Building the SQLite driver for Electron ${electronVersion} (once)...`);
  const work = mkdtempSync(join(tmpdir(), 'i2m-native-'));
  const moduleDir = join(work, 'better-sqlite3');
  const sourceDir = dirname(require.resolve('better-sqlite3/package.json'));
  cpSync(sourceDir, moduleDir, { recursive: true, filter: (src) => !src.includes(`${sourceDir}/build`) });
  const run = (cmd, args) => execFileSync(cmd, args, { cwd: moduleDir, stdio: 'inherit', shell: process.platform === 'win32' });
  try {
    const prebuild = require.resolve('prebuild-install/bin.js');
    run(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]);
  } catch {
    console.log('No prebuilt driver found; compiling it from source (needs a C++ toolchain)...');
    const gyp = require.resolve('node-gyp/bin/node-gyp.js');
    run(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron']);
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(moduleDir, 'build', 'Release', 'better_sqlite3.node'), target);
  rmSync(work, { recursive: true, force: true });
  console.log(`Ready: ${target}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
