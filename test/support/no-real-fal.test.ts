// The test guard against the real FAL reaches the processes tests start, wherever the checkout is:
// from a folder with spaces in its path, a child still loads it (NODE_OPTIONS is split at spaces),
// and every way it could reach FAL - fetch, dns.lookup, dns.promises - is refused and written down.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const GUARD = join(import.meta.dirname, 'no-real-fal.mjs');
type GuardModule = typeof import('./no-real-fal.mjs');

/** Every way a child might look FAL up; prints what each attempt ended with. */
const CHILD = `
import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
const ends = [];
const attempts = [
  () => fetch('https://fal.run/fal-ai/trellis'),
  () => new Promise((resolve, reject) => dns.lookup('queue.fal.run', (error) => (error ? reject(error) : resolve()))),
  () => dns.promises.lookup('rest.alpha.fal.ai'),
  () => lookup('v3.fal.media'),
];
for (const attempt of attempts) await attempt().then(() => ends.push('reached'), (error) => ends.push(error.code ?? error.message));
console.log(JSON.stringify(ends));
`;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the real-FAL guard in child processes', () => {
  it('a checkout path with spaces: the option is a file URL, and the child still loads the guard', async () => {
    dir = mkdtempSync(join(tmpdir(), 'i2m guard '));
    const folder = join(dir, 'my checkout', 'test support');
    mkdirSync(folder, { recursive: true });
    const copy = join(folder, 'no-real-fal.mjs');
    copyFileSync(GUARD, copy);
    const guard = (await import(pathToFileURL(copy).href)) as GuardModule;
    expect(guard.guardImportOption()).toBe(`--import=${pathToFileURL(copy).href}`);
    expect(guard.guardImportOption()).not.toMatch(/[\s"\\]/);

    const log = join(dir, 'attempts.log');
    // Only this copy's guard: none inherited from the test process.
    const env = guard.forbidRealFalInChildren({ PATH: process.env.PATH, NODE_OPTIONS: '--no-warnings' }, log);
    expect(env.NODE_OPTIONS).toBe(`--no-warnings ${guard.guardImportOption()}`);
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], { env, encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(['fetch failed', 'ENOTFOUND', 'ENOTFOUND', 'ENOTFOUND']);
    expect(guard.takeRealFalAttempts(log).map((line) => line.replace(/ \(pid \d+\)$/, ''))).toEqual([
      'fetch https://fal.run/fal-ai/trellis',
      'connect queue.fal.run',
      'connect rest.alpha.fal.ai',
      'connect v3.fal.media',
    ]);
  });
});
