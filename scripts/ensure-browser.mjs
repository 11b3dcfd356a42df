#!/usr/bin/env node
// The Chromium the browser tests run in, found or provisioned before any test starts (`npm test` and
// `.ci/run` call this). In order: CHROMIUM_PATH, the system's Chromium, a browser Playwright installed
// (fast: nothing is spawned when one exists); else Playwright's own download; else, as root on
// Debian/Ubuntu, `apt-get install chromium` (+ xvfb for the Electron smoke test); else one clear line.
// `node scripts/ensure-browser.mjs` prints the path it settled on (exit 1 with the line when none).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const DOWNLOAD_TIMEOUT_MS = 120_000;
export const INSTALL_HINT =
  'npm test needs Chromium: install it (Debian/Ubuntu: `sudo apt-get install chromium`, elsewhere `npx playwright install chromium`) or set CHROMIUM_PATH to its executable.';

/** Playwright's own Chromium, when `playwright install chromium` has put it on this machine. */
function playwrightChromium() {
  try {
    const path = require('playwright-core').chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * The Chromium already on this machine, or null. Only checks files. IMAGE2MODEL_SYSTEM_CHROMIUM
 * (colon-separated, may be empty) replaces the system paths: tests use it to act out a machine without one.
 */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  const system = env.IMAGE2MODEL_SYSTEM_CHROMIUM !== undefined ? env.IMAGE2MODEL_SYSTEM_CHROMIUM.split(':').filter(Boolean) : SYSTEM_CHROMIUM;
  // The system's first: checking files is instant, loading Playwright to ask for its path is not.
  return system.find((path) => existsSync(path)) ?? playwrightChromium();
}

const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

function isRootOnDebian() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !hasCommand('apt-get')) return false;
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(release);
  } catch {
    return false;
  }
}

/** Runs a command in its own process group, killing the whole group when it outlives its time. */
function runQuietly(cmd, args, timeoutMs, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', (error) => (output += String(error)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output: signal ? `${output}\n(stopped after ${timeoutMs / 1000} s)` : output });
    });
  });
}

/** The line that says what went wrong: the last `...Error: ...` line, else the last line. */
function reason(text) {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.findLast((line) => /^(\w*Error|E:)/.test(line)) ?? lines.at(-1) ?? '';
}

async function playwrightDownload(log) {
  log("Chromium not found; trying Playwright's download (npx playwright install chromium)...");
  const result = await runQuietly('npx', ['playwright', 'install', 'chromium'], DOWNLOAD_TIMEOUT_MS);
  if (!result.ok) log(`  Playwright's download did not work: ${reason(result.output)}`);
  return result.ok ? playwrightChromium() : null;
}

async function aptInstall(packages, log) {
  log(`Installing ${packages.join(', ')} with apt-get...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await runQuietly('apt-get', ['update', '-qq'], 600_000, env);
  const install = update.ok && (await runQuietly('apt-get', ['install', '-y', '-qq', ...packages], 1_200_000, env));
  if (!install || !install.ok) log(`  apt-get did not work: ${reason((install || update).output)}`);
  return Boolean(install && install.ok);
}

/** The Electron binary, when it was downloaded (never triggers the download). */
function electronBinaryExists() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    return existsSync(join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim()));
  } catch {
    return false;
  }
}

/**
 * The path of a Chromium to test in, provisioning one when missing. Throws an Error whose message is
 * the one line telling the user what to install.
 */
export async function ensureBrowser({ env = process.env, log = (line) => console.log(line) } = {}) {
  if (env.CHROMIUM_PATH && !existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist. ${INSTALL_HINT}`);
  // Electron's smoke test needs a display; where Electron exists and none is set, xvfb provides one.
  if (process.platform === 'linux' && !env.DISPLAY && electronBinaryExists() && !hasCommand('xvfb-run') && isRootOnDebian()) await aptInstall(['xvfb', 'xauth'], log);
  const found = findChromium(env) ?? (await playwrightDownload(log));
  if (found) return found;
  if (isRootOnDebian() && (await aptInstall(['chromium', 'xvfb', 'xauth'], log))) {
    const installed = SYSTEM_CHROMIUM.find((path) => existsSync(path));
    if (installed) return installed;
  }
  throw new Error(INSTALL_HINT);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  try {
    console.log(await ensureBrowser({ log: (line) => console.error(line) }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
