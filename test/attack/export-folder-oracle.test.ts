// Attack (issue 10 item 6, export folders): the export folder was typed in the page (export:run /
// export:batch `dir`, and Settings' output folder through settings:set), so a compromised page could
// name any folder. The folder error was one neutral message, but the answer still described the
// disk: export picks a free name ("secret-2.glb" when "secret.glb" is there) and returns the names it
// wrote, so a page learned whether any <name>.glb exists in any folder, and it wrote files into
// folders the user never chose. Now a folder from the page is used only when the user picked it in
// the native folder picker (or it is the app's own exports folder): any other gets one answer, and
// nothing is looked at or written (src/core/export/folders.ts).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportHandlers } from '../../src/core/export/handlers';
import { createExportService } from '../../src/core/export/service';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import type { EngineApi } from '../../src/core/services-types';
import { ExportRecipeSchema } from '../../src/shared/export-recipe';
import { makeTestGlb } from '../fixtures/make-glb';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'i2m-attack-export-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('a folder the user never chose is not written, and the answer does not tell which files are there', async () => {
  const glb = join(root, 'model.glb');
  writeFileSync(glb, await makeTestGlb({ triangles: 100 }));
  const library = { get: (id: string) => (id === 'm1' ? { id, name: 'Chair' } : null), filePath: (id: string) => (id === 'm1' ? glb : null) };
  const settings = createFileSettingsStore(join(root, 'data', 'settings.json'));
  const handlers = exportHandlers({ exports: createExportService(library, join(root, 'data')), engine: {} as EngineApi, settings, dataDir: join(root, 'data') });
  // The page asks: is there a "secret.glb" in these folders (the user's, not chosen for export)?
  const recipe = ExportRecipeSchema.parse({ formats: ['glb'], fileName: 'secret' });
  const withSecret = join(root, 'has-it');
  const without = join(root, 'has-not');
  mkdirSync(withSecret);
  mkdirSync(without);
  writeFileSync(join(withSecret, 'secret.glb'), 'the user\'s file');
  const answer = async (dir: string) =>
    handlers['export:run']({ id: 'm1', recipe, dir }).then(
      (done) => done.files.map((file) => basename(file)).join(','),
      (error: Error) => error.message.replaceAll(dir, '<dir>'),
    );
  const [a, b] = [await answer(withSecret), await answer(without)];
  expect(a).toBe(b);
  expect(existsSync(join(without, 'secret.glb'))).toBe(false);
});
