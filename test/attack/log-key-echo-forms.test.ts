// Attack: the main process's log promises that every line is redacted with the FAL key(s), "so no caller
// has to remember to redact" - but it used its own matcher (keys/format redactAll: the key as typed and
// its percent-encoded form), not the one FAL's answers go through (fal/redact: any case, the id and secret
// halves, base64, invisible characters inside). An error logged as it came - a gateway quoting the key
// upper-cased, in a Basic credential, or with zero-width spaces between its characters - was written to
// main.log (and stderr) readable. The log now applies the same matcher.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/main/logger';

const SECRET = '0123456789abcdef0123456789abcdef';
const KEY = `5d8b2c1e-7a44-4e0b-9f31-2c6d8e1a9b70:${SECRET}`;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['upper-cased', `forbidden for ${KEY.toUpperCase()}`],
  ['in a Basic credential', `proxy said: basic ${Buffer.from(`user:${KEY}`).toString('base64')}`],
  ['with zero-width spaces inside', `key was ${[...KEY].join('\u200b')}`],
  ['its secret alone, upper-cased', `secret ${SECRET.toUpperCase()} is locked`],
])('a key echoed %s in a logged error is not written to main.log', (_label, echoed) => {
  const dir = mkdtempSync(join(tmpdir(), 'i2m-log-echo-'));
  dirs.push(dir);
  const logger = createLogger(dir, { secrets: () => [KEY], echoErrors: false });
  logger.error('FAL call failed', new Error(echoed));
  const written = readFileSync(logger.file, 'utf8').replace(/\p{Default_Ignorable_Code_Point}|\\u200b/gu, '');
  expect(written).toContain('FAL call failed');
  for (const form of [SECRET, SECRET.toUpperCase(), Buffer.from(`user:${KEY}`).toString('base64').slice(8, 40)]) expect(written).not.toContain(form);
});
