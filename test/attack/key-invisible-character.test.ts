// Attack (a user's slip): a key pasted with a zero-width space or a curly quote inside. It passed the
// key checks (no whitespace by \s, long enough) and was stored; HTTP cannot carry such a character,
// so every call with it failed before leaving the machine as "The connection to FAL was interrupted",
// each job used up its attempts and failed, and nothing said the key was at fault. The key is now
// refused where it is entered (Settings, key:set) and a CLI convert says so at once, never echoing it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { AppError } from '../../src/shared/result';
import { startFakeFal, type FakeFal } from '../fake-fal/server';
import { makeTestJpeg } from '../fixtures/make-glb';
import { runCli, stopAllCliRuns } from '../support/cli-process';

const SECRET = 'INVISIBLESECRET0123456789';
const KEYS = [`keyid:${SECRET.slice(0, 9)}\u200b${SECRET.slice(9)}`, `keyid:${SECRET}\u201d`, `keyid:${SECRET}\u0430`];

let work: string;
let fake: FakeFal;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'i2m-key-char-'));
  fake = await startFakeFal({ processingMs: 20 });
});
afterAll(async () => {
  await stopAllCliRuns();
  await fake?.close();
  rmSync(work, { recursive: true, force: true });
});

it.each(KEYS)('a key with an invisible or unusual character is refused where it is entered (%j)', (key) => {
  const vault = createMemoryKeyVault({});
  let error: unknown = null;
  try {
    vault.set(key);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('invalid_input');
  expect((error as AppError).message).toMatch(/invisible or unusual character/);
  expect(vault.status().set).toBe(false);
});

it('convert with such a FAL_KEY stops at once with the reason (exit 2), sends nothing and never prints the key', async () => {
  const photo = join(work, 'photo.jpg');
  writeFileSync(photo, await makeTestJpeg(64, 64, { seed: 7 }));
  const result = await runCli(['convert', photo, '--out', join(work, 'out'), '--data-dir', join(work, 'data'), '--fal-proxy', fake.url], {
    env: { FAL_KEY: KEYS[0] },
  });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/FAL_KEY: .*invisible or unusual character/);
  expect(`${result.stdout}${result.stderr}`).not.toContain(SECRET.slice(9));
  expect(fake.requests.filter((r) => r.op !== 'control')).toEqual([]);
}, 60_000);
