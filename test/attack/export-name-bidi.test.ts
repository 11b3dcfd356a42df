// Attack: a photo (so its model) named with a bidi override - "photo\u202egpj.jpg", a trick of mail
// attachments. Exported, the model's file was "photo\u202egpj.glb", which Explorer, Finder and file
// dialogs show as "photoblg.jpg": a model passed off as a picture, and the same trick makes any
// extension look like another. C1 control characters (U+0080-U+009F, a terminal's CSI) went into the
// name as they were. Now the overrides, embeddings and isolates are dropped and C1 controls become "_",
// in every file named after a model: the export studio's, the automatic export's, the CLI's --out file.
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { freeExportPath } from '../../src/core/auto-export';
import { createExportService } from '../../src/core/export/service';
import type { RecipeRunner } from '../../src/core/export/worker-pool';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';

const DIRECTION_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'i2m-export-bidi-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it.each([
  ['photo\u202egpj', 'photogpj.glb'],
  ['\u2067invoice\u2069 \u202bdraft\u202c', 'invoice draft.glb'],
  ['chair\u009b31m', 'chair_31m.glb'],
  ['\u202e', 'model.glb'],
  ['שולחן עץ', 'שולחן עץ.glb'],
])('a model named %j is exported as %j', async (name, file) => {
  const path = join(dir, 'model.glb');
  await writeFile(path, 'glb bytes');
  const library = { get: (id: string) => (id === 'm1' ? { id, name } : null), filePath: (id: string) => (id === 'm1' ? path : null) };
  const runner: RecipeRunner = {
    run: async (source, _recipe, stem) => ({ files: [{ name: `${stem}.glb`, format: 'glb', data: source, triangles: 1 }], plan: {} as never, preview: source, threadId: 0 }),
    warm: () => undefined,
    close: async () => undefined,
  };
  const out = join(dir, 'studio');
  const { files } = await createExportService(library, join(dir, 'data'), runner).run('m1', ExportRecipeSchema.parse({ formats: ['glb'] }), { dir: out });
  expect(files.map((f) => basename(f))).toEqual([file]);
  expect(readdirSync(out)).toEqual([file]);
  // The automatic export and the CLI's --out file.
  expect(basename(freeExportPath(join(dir, 'auto'), name))).toBe(file);
  expect(file).not.toMatch(DIRECTION_CONTROLS);
});
