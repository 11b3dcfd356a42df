// Attack: a model (or photo) with a long non-ASCII name - 120 Japanese characters, accented Latin, emoji.
// The export file name was cut at 120 UTF-16 units: 120 kanji are 360 bytes of UTF-8, over the 255-byte
// limit of a file name on Linux and macOS, so every export of such a model failed with "The folder ...
// could not be used" (the folder was fine), and the auto-export and the CLI's --out file failed the
// same way. A cut in the middle of an emoji left half a character in the name.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { freeExportPath } from '../../src/core/auto-export';
import { createExportService } from '../../src/core/export/service';
import { fileStem } from '../../src/core/export/write';
import { exportModel } from '../../src/core/library/export-model';
import { makeTestGlb } from '../fixtures/make-glb';

const dir = mkdtempSync(join(tmpdir(), 'i2m-export-long-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
const NAMES = ['模'.repeat(200), 'é'.repeat(200), '🦆'.repeat(100), 'a'.repeat(119) + '🦆🦆'];

it.each(NAMES)('the export studio writes every file of a model named %s', async (name) => {
  const source = join(dir, 'source.glb');
  writeFileSync(source, await makeTestGlb({ triangles: 60, textureSize: 16, seed: 3 }));
  const library = { get: (id: string) => ({ id, name }), filePath: () => source };
  const out = mkdtempSync(join(dir, 'out-'));
  const recipe = ExportRecipeSchema.parse({ formats: ['glb', 'obj', 'stl'], lods: [1, 0.5] });
  const { files } = await createExportService(library, dir).run('m1', recipe, { dir: out });
  expect(files.length).toBeGreaterThanOrEqual(4);
  expect(readdirSync(out).sort()).toEqual(files.map((f) => basename(f)).sort());
  for (const file of files) expect(utf8(basename(file))).toBeLessThanOrEqual(255);
});

it.each(NAMES)('a file name made from %s keeps whole characters and fits a file system', (name) => {
  const stem = fileStem('{name}', { name, id: 'm1', preset: 'web' });
  expect(stem.length).toBeGreaterThan(0);
  expect(name.startsWith(stem)).toBe(true);
  expect(stem).not.toMatch(/[\ud800-\udfff](?![\udc00-\udfff])/u); // no half of a surrogate pair
  expect(utf8(stem)).toBeLessThanOrEqual(150);
});

it.each(NAMES)('the auto-export and the CLI write the model of a photo named %s', async (name) => {
  const source = join(dir, 'auto.glb');
  writeFileSync(source, await makeTestGlb({ triangles: 60, textureSize: 16, seed: 4 }));
  const out = mkdtempSync(join(dir, 'auto-'));
  const target = freeExportPath(out, name);
  expect(name.startsWith(basename(target, '.glb'))).toBe(true);
  await exportModel(source, target, 'glb');
  expect(readdirSync(out)).toEqual([basename(target)]);
});
