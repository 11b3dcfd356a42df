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

function main() {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
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
