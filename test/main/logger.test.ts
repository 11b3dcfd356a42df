// The main logger redacts the current key(s) from every line, whatever shape the detail has.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/logger';
import { addOne, createHarness, inState, waitForJob } from '../core/engine/harness';

const KEY = 'a1b2c3d4-e5f6:9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const SECRET = KEY.split(':')[1]!;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('main logger', () => {
  it('redacts the key and its secret half from messages, errors and objects', () => {
    const logger = createLogger(dir, { secrets: () => [KEY], echoErrors: false });
    logger.info(`calling with Key ${KEY}`);
    logger.warn('header', { headers: { authorization: `Key ${KEY}` }, nested: [{ s: SECRET }] });
    const error = new Error(`401 for ${KEY}`);
    logger.error('failed', error);
    logger.error('secret only', `...${SECRET}...`);
    logger.info('url', { url: `https://x/?key=${encodeURIComponent(KEY)}` });
    const text = readFileSync(logger.file, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encodeURIComponent(KEY));
    expect(text.match(/\[redacted/g)!.length).toBeGreaterThanOrEqual(5);
    expect(text.match(/^\d{4}-\d\d-\d\dT/gm)).toHaveLength(5);
  });

  it('follows the key as it changes', () => {
    let current: string | null = null;
    const logger = createLogger(dir, { secrets: () => [current], echoErrors: false });
    logger.info('no key yet');
    current = 'new-key-abcdefghijklmnop';
    logger.info(`got ${current}`);
    expect(readFileSync(logger.file, 'utf8')).not.toContain('new-key-abcdefghijklmnop');
  });

  it('drops a line rather than write it unredacted when the secret source fails', () => {
    const logger = createLogger(dir, {
      secrets: () => {
        throw new Error('vault broke');
      },
      echoErrors: false,
    });
    logger.info(`key ${KEY}`);
    const text = readFileSync(logger.file, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).toMatch(/dropped/);
  });

  it('logs circular details without throwing', () => {
    const logger = createLogger(dir, { echoErrors: false });
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(() => logger.info('circular', loop)).not.toThrow();
  });

  it('rotates a log that grew too big', () => {
    writeFileSync(join(dir, 'main.log'), 'x'.repeat(2000));
    const logger = createLogger(dir, { maxBytes: 1000, echoErrors: false });
    logger.info('fresh');
    expect(statSync(join(dir, 'main.log.1')).size).toBe(2000);
    expect(readFileSync(logger.file, 'utf8')).toMatch(/fresh/);
  });
});

describe('main logger without a known key', () => {
  it('still hides Authorization header values', () => {
    const other = 'zzzzzzzz-0000:1111222233334444';
    const logger = createLogger(dir, { secrets: () => [], echoErrors: false });
    logger.warn('request', { headers: { Authorization: `Key ${other}` } });
    logger.warn(`authorization: Key ${other}`);
    expect(readFileSync(logger.file, 'utf8')).not.toContain(other);
  });
});

// What FAL sends (log lines, error details) and what users name things reach the log; `cat` or
// `tail` of it must not hand their control characters to the terminal.
describe('control characters in log lines', () => {
  const NASTY = 'retitled \u001b]0;pwned\u0007 clipboard \u001b]52;c;cm0gLXJmIH4=\u0007 cleared \u001b[2J\u001bc csi \u009b31m bidi \u202egnp.exe\u202c bell \u0007 cr \rover';

  it('are written escaped, one entry per line, in messages, details and errors', () => {
    const logger = createLogger(dir, { echoErrors: false });
    logger.info(`FAL said: ${NASTY}`);
    logger.warn('detail', { detail: NASTY });
    logger.error('failed', new Error(`boom ${NASTY}\nsecond line`));
    const text = readFileSync(logger.file, 'utf8');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('retitled \\x1b]0;pwned\\x07');
    expect(text).toContain('bidi \\u202egnp.exe\\u202c');
    // A line break inside an entry cannot start a forged entry: every line that is not indented is a real one.
    const entries = text.split('\n').filter((line) => line !== '' && !line.startsWith(' '));
    expect(entries).toHaveLength(3);
    expect(entries.every((line) => /^\d{4}-\d\d-\d\dT/.test(line))).toBe(true);
  });

  it('from FAL\'s answer for a failed run reach main.log escaped', async () => {
    const logger = createLogger(dir, { echoErrors: false });
    const h = await createHarness({ engine: { logger } });
    try {
      h.fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 422, detail: [{ loc: ['body', 'image_url'], msg: NASTY, type: 'file_download_error' }] } });
      const id = await addOne(h.engine);
      const failed = await waitForJob(h.engine, id, inState('failed', 'needs_attention', 'succeeded'));
      expect(failed.state).toBe('failed');
    } finally {
      await h.close();
    }
    const text = readFileSync(logger.file, 'utf8');
    expect(text).toContain('pwned');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  }, 30_000);
});
