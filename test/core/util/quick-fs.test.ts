// readSmallFile: a job's prepared image, read in place when small, in the thread pool when large -
// either way the whole file, and a missing file is an error the job can report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { READ_IN_PLACE_MAX_BYTES, readSmallFile } from '../../../src/core/util/quick-fs';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-quick-fs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(size: number): { path: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  const path = join(dir, `f-${size}.bin`);
  writeFileSync(path, bytes);
  return { path, bytes };
}

describe('readSmallFile', () => {
  it.each([
    ['empty', 0],
    ['small', 1234],
    ['at the in-place limit', READ_IN_PLACE_MAX_BYTES],
    ['over it', READ_IN_PLACE_MAX_BYTES + 1],
  ])('reads a whole %s file', async (_, size) => {
    const { path, bytes } = fileOf(size);
    const read = await readSmallFile(path);
    expect(read.byteLength).toBe(size);
    expect(Buffer.from(read).equals(bytes)).toBe(true);
  });

  it('rejects (does not throw in place) for a missing file', async () => {
    const reading = readSmallFile(join(dir, 'gone.png'));
    await expect(reading).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
