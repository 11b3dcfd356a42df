// Attack on the automatic export (and the CLI's --out file): the output folder holds a link named like
// the model ("chair.glb") that points nowhere - a file moved away, a sync tool's leftover. The free-name
// search asked existsSync, which follows links and said "free"; since exports no longer write over a
// name that is taken (attack/export-same-name-at-once), the copy found the name taken, asked for a free
// name again, got the same one, and tried again for ever: the export never ended and rewrote the model
// to a temp file in a loop. Now a link counts as taken, whatever it points to: the model goes to chair-2.
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { copyToFreePath, freeExportPath } from '../../src/core/auto-export';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'i2m-export-link-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it.skipIf(process.platform === 'win32')('a link to nothing named like the model is left alone; the model goes to the next name', async () => {
  const src = join(dir, 'model.glb');
  await writeFile(src, 'the model');
  const out = join(dir, 'out');
  await mkdir(out);
  symlinkSync(join(dir, 'moved-away.glb'), join(out, 'chair.glb'));

  const written = await Promise.race([
    copyToFreePath(src, out, 'chair'),
    new Promise<string>((resolve) => setTimeout(() => resolve('still looking for a free name after 5 s'), 5_000)),
  ]);
  expect(written).toBe(join(out, 'chair-2.glb'));
  expect(basename(freeExportPath(out, 'chair'))).toBe('chair-3.glb');
  expect(readFileSync(written, 'utf8')).toBe('the model');
  expect(readdirSync(out).sort()).toEqual(['chair-2.glb', 'chair.glb']);
  expect(existsSync(join(out, 'chair.glb'))).toBe(false); // still the link to nothing
});
