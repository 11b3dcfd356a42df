// The fast path of `npm test`'s browser provisioning: what is already on the machine is used as is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBrowser, findChromium, INSTALL_HINT } from '../../scripts/ensure-browser.mjs';

const dir = mkdtempSync(join(tmpdir(), 'i2m-browser-'));
const fakeChromium = join(dir, 'chromium');
writeFileSync(fakeChromium, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding Chromium', () => {
  it('takes CHROMIUM_PATH first, and only when the file exists', () => {
    expect(findChromium({ CHROMIUM_PATH: fakeChromium, IMAGE2MODEL_SYSTEM_CHROMIUM: '' })).toBe(fakeChromium);
    expect(findChromium({ CHROMIUM_PATH: join(dir, 'missing') })).toBeNull();
  });

  it("takes the system's Chromium when CHROMIUM_PATH is unset or empty", () => {
    expect(findChromium({ CHROMIUM_PATH: '', IMAGE2MODEL_SYSTEM_CHROMIUM: `${join(dir, 'nope')}:${fakeChromium}` })).toBe(fakeChromium);
  });

  it('uses what is there without installing anything, and says what to do when CHROMIUM_PATH is wrong', async () => {
    const log: string[] = [];
    await expect(ensureBrowser({ env: { IMAGE2MODEL_SYSTEM_CHROMIUM: fakeChromium }, log: (line) => log.push(line) })).resolves.toBe(fakeChromium);
    expect(log).toEqual([]);
    const missing = join(dir, 'missing');
    await expect(ensureBrowser({ env: { CHROMIUM_PATH: missing }, log: (line) => log.push(line) })).rejects.toThrow(`CHROMIUM_PATH=${missing} does not exist. ${INSTALL_HINT}`);
  });
});
