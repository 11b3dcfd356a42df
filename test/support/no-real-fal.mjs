// Tests never reach FAL itself: every FAL call goes to the fake FAL server (test/fake-fal). This
// guard, installed in every test process (vitest's setup file; NODE_OPTIONS --import for the
// processes tests start, see forbidRealFalInChildren), refuses any connection to a real FAL host
// (fal.run, fal.ai, fal.media and their subdomains) the way a closed network would ("fetch
// failed"), and writes the attempt down so the test that made it fails loudly (checkRealFalAttempts).
// Plain JavaScript: child processes load it before tsx is there.
import dns from 'node:dns';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REAL_FAL_LOG_ENV = 'IMAGE2MODEL_TEST_REAL_FAL_LOG';
const INSTALLED = Symbol.for('image2model.noRealFal');
const FAL_DOMAINS = ['fal.run', 'fal.ai', 'fal.media'];
/** Attempts made in this process since the last check. */
const attempts = [];

export function isRealFalHost(hostname) {
  const host = String(hostname).toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  return FAL_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

function record(what) {
  const line = `${what} (pid ${process.pid})`;
  attempts.push(line);
  const log = process.env[REAL_FAL_LOG_ENV];
  if (log) {
    try {
      appendFileSync(log, `${line}\n`);
    } catch {
      // The log's folder is gone (the test ended): the in-process list still has it.
    }
  }
  process.emitWarning(`A test tried to reach the real FAL: ${line}`);
}

function hostOf(input) {
  try {
    const url = input instanceof URL ? input : new URL(typeof input === 'string' ? input : input.url);
    return { host: url.hostname, url: `${url.origin}${url.pathname}` };
  } catch {
    return null;
  }
}

/** Installs the guard in this process (idempotent). */
export function installNoRealFal() {
  if (globalThis[INSTALLED]) return;
  globalThis[INSTALLED] = true;
  const realFetch = globalThis.fetch;
  globalThis.fetch = function guardedFetch(input, init) {
    const target = hostOf(input);
    if (target && isRealFalHost(target.host)) {
      record(`fetch ${target.url}`);
      return Promise.reject(new TypeError('fetch failed', { cause: new Error(`test guard: ${target.host} is the real FAL; use the fake FAL server`) }));
    }
    return realFetch.call(this, input, init);
  };
  // Below fetch: any socket (undici, http, the FAL client) looks the host up first.
  const realLookup = dns.lookup;
  dns.lookup = function guardedLookup(hostname, options, callback) {
    if (isRealFalHost(hostname)) {
      record(`connect ${hostname}`);
      const done = typeof options === 'function' ? options : callback;
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (test guard: the real FAL)`), { code: 'ENOTFOUND', hostname });
      process.nextTick(() => done(error));
      return {};
    }
    return realLookup.call(this, hostname, options, callback);
  };
  // dns.promises: a lookup sends no FAL traffic, but it is the same attempt, written down the same way.
  const realPromisesLookup = dns.promises.lookup;
  dns.promises.lookup = function guardedPromisesLookup(hostname, options) {
    if (isRealFalHost(hostname)) {
      record(`connect ${hostname}`);
      return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (test guard: the real FAL)`), { code: 'ENOTFOUND', hostname }));
    }
    return realPromisesLookup.call(this, hostname, options);
  };
  // Named imports (`import { lookup } from 'node:dns'`) see the guarded functions too.
  syncBuiltinESMExports();
}

/**
 * The NODE_OPTIONS entry that loads the guard. A file URL, not a path: NODE_OPTIONS is split at
 * spaces, and a URL has none (nor quotes or backslashes, which that parser also reads), wherever the
 * checkout is.
 */
export function guardImportOption(moduleUrl = import.meta.url) {
  return `--import=${pathToFileURL(fileURLToPath(moduleUrl)).href}`;
}

/**
 * Makes processes started from here on (they inherit the environment) load the guard and write their
 * attempts to `logFile`.
 */
export function forbidRealFalInChildren(env, logFile) {
  const flag = guardImportOption();
  const current = env.NODE_OPTIONS ?? '';
  if (!current.includes(flag)) env.NODE_OPTIONS = `${current} ${flag}`.trim();
  env[REAL_FAL_LOG_ENV] = logFile;
  return env;
}

/** The attempts made since the last call (this process and, through `logFile`, its children), then forgets them. */
export function takeRealFalAttempts(logFile) {
  const found = attempts.splice(0);
  if (logFile && existsSync(logFile)) {
    const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
    rmSync(logFile, { force: true });
    for (const line of lines) if (!found.includes(line)) found.push(line);
  }
  return found;
}

/** Throws when anything tried to reach the real FAL since the last check. */
export function checkRealFalAttempts(logFile) {
  const found = takeRealFalAttempts(logFile);
  if (found.length > 0) {
    throw new Error(`This test tried to reach the real FAL (tests must use the fake FAL server or turn the call off):\n  ${found.join('\n  ')}`);
  }
}

// Loaded through NODE_OPTIONS (--import): guard this process at once.
if (process.env[REAL_FAL_LOG_ENV]) installNoRealFal();
