// Attack: a photo named like a Windows device ("con.jpg", "NUL.jpg", "com1.scan.jpg", "aux .jpg") or
// one that starts with a dot (".hidden.jpg"). The CLI's --out file, a joined image's file and the
// auto-export file were named after it as "con.glb": on Windows that name is the console device, not a
// file - the model "written" there is lost - and ".hidden.glb" is hidden on Linux and macOS. The
// Export dialog's file-name pattern ({name}) made the same device names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freeExportPath } from '../../src/core/auto-export';
import { fileStem } from '../../src/core/export/write';

const dir = mkdtempSync(join(tmpdir(), 'i2m-export-name-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each([
  ['con', '_con.glb'],
  ['NUL', '_NUL.glb'],
  ['com1.scan', '_com1.scan.glb'],
  ['lpt9', '_lpt9.glb'],
  ['aux ', '_aux.glb'],
  ['.hidden', 'hidden.glb'],
  ['..', 'model.glb'],
  ['console', 'console.glb'],
  ['icon', 'icon.glb'],
])('a photo named %j gets a file Windows and Finder keep as a file: %s', (stem, file) => {
  expect(basename(freeExportPath(dir, stem))).toBe(file);
});

it('the safe name still moves aside for a file already there', () => {
  writeFileSync(join(dir, '_prn.glb'), 'taken');
  expect(basename(freeExportPath(dir, 'prn'))).toBe('_prn-2.glb');
});

it.each([
  ['con', '_con'],
  ['Nul.scan', '_Nul.scan'],
  ['console', 'console'],
])('an export of a model named %j is written as %s', (name, stem) => {
  expect(fileStem('{name}', { name, id: 'm1', preset: 'draft' })).toBe(stem);
});
