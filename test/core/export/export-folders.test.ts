// Export folders come from the user, not the page: a folder picked in the native folder picker (or
// the app's own exports folder) takes exports, and is remembered across restarts; any other folder
// the page names is refused before anything is written, and the page cannot make a folder "chosen"
// through settings:set. Output folders stored before this rule keep working.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../src/core/app-core';
import { NOT_CHOSEN_EXPORT_FOLDER } from '../../../src/core/chosen-paths';
import { exportHandlers } from '../../../src/core/export/handlers';
import { createExportService } from '../../../src/core/export/service';
import { createMemoryKeyVault } from '../../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { createFileSettingsStore } from '../../../src/core/settings/file-store';
import type { EngineApi } from '../../../src/core/services-types';
import { ExportRecipeSchema } from '../../../src/shared/export-recipe';
import { makeTestGlb } from '../../fixtures/make-glb';

let root = '';
let dataDir = '';
let glb = '';
let picked: string | null = null;
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'i2m-export-folders-'));
  dataDir = join(root, 'data');
  glb = join(root, 'model.glb');
  writeFileSync(glb, await makeTestGlb({ triangles: 100 }));
  picked = null;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const recipe = ExportRecipeSchema.parse({ formats: ['glb'] });
const settingsFile = () => join(dataDir, 'settings.json');

/** The export channels as the app serves them, over the settings file in the data folder. */
function openHandlers() {
  const library = {
    get: (id: string) => (id === 'm1' ? { id, name: 'Chair' } : null),
    filePath: (id: string) => (id === 'm1' ? glb : null),
    list: () => ({ items: [{ id: 'm1' }] }),
  };
  const engine = { library } as unknown as EngineApi;
  const settings = createFileSettingsStore(settingsFile());
  const platform = createHeadlessPlatform({ pickedFolder: () => picked });
  return { settings, handlers: exportHandlers({ exports: createExportService(library, dataDir), engine, settings, dataDir, platform }) };
}

const refusal = (work: Promise<unknown>) => work.then(() => 'written', (error: Error) => error.message);

describe('export folders', () => {
  it('a folder picked in the folder dialog takes exports, and is still usable after a restart', async () => {
    const mine = join(root, 'my models');
    const { handlers } = openHandlers();
    picked = mine;
    expect(await handlers['export:chooseFolder']({})).toEqual({ dir: mine });
    expect((await handlers['export:run']({ id: 'm1', recipe, dir: mine })).files).toEqual([join(mine, 'Chair.glb')]);

    picked = null; // the next session asks nothing: the pick was remembered
    const again = openHandlers().handlers;
    expect((await again['export:run']({ id: 'm1', recipe, dir: mine })).files).toEqual([join(mine, 'Chair-2.glb')]);
    const batch = await again['export:batch']({ batchId: 'b1', ids: ['m1'], recipe, dir: mine });
    expect(batch.succeeded).toBe(1);
    expect(readdirSync(mine).sort()).toEqual(['Chair-2.glb', 'Chair-3.glb', 'Chair.glb']);
  });

  it('a canceled pick changes nothing', async () => {
    const { handlers, settings } = openHandlers();
    expect(await handlers['export:chooseFolder']({})).toEqual({ dir: null });
    expect(settings.get().exportFolders).toEqual([]);
  });

  it('no folder, or the app\'s own exports folder, writes into <data>/exports', async () => {
    const { handlers } = openHandlers();
    const appFolder = join(dataDir, 'exports');
    expect(await handlers['export:presets'](undefined)).toMatchObject({ defaultDir: appFolder });
    expect((await handlers['export:run']({ id: 'm1', recipe })).files).toEqual([join(appFolder, 'Chair.glb')]);
    expect((await handlers['export:run']({ id: 'm1', recipe, dir: appFolder })).files).toEqual([join(appFolder, 'Chair-2.glb')]);
  });

  it('a folder the page names without the user picking it is refused, with one answer, and nothing is written', async () => {
    const { handlers } = openHandlers();
    picked = join(root, 'picked');
    await handlers['export:chooseFolder']({});
    const existing = join(root, 'existing');
    mkdirSync(existing);
    writeFileSync(join(existing, 'Chair.glb'), 'the user\'s own file');
    const missing = join(root, 'missing', 'deeper');
    const answers = new Set<string>();
    for (const dir of [existing, missing, join(root, 'picked', 'inside'), root, '/proc/self', `${existing}/../existing-not`]) {
      answers.add(await refusal(handlers['export:run']({ id: 'm1', recipe, dir })));
      answers.add(await refusal(handlers['export:batch']({ batchId: 'b1', ids: ['m1'], recipe, dir })));
      answers.add(await refusal(handlers['export:batch']({ batchId: 'b2', query: '', recipe, dir })));
    }
    expect([...answers]).toEqual([NOT_CHOSEN_EXPORT_FOLDER]);
    expect(NOT_CHOSEN_EXPORT_FOLDER).toContain('Choose the folder with the Choose… button');
    expect(readdirSync(existing)).toEqual(['Chair.glb']);
    expect(existsSync(join(root, 'missing'))).toBe(false);
    expect(existsSync(join(root, 'picked'))).toBe(false);
  });

  it('an output folder stored before this rule keeps working: the default, and named by the page', async () => {
    const old = join(root, 'old output');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(settingsFile(), JSON.stringify({ version: 2, settings: { outputFolder: old, exportAfterSuccess: true } }));
    const { handlers } = openHandlers();
    expect(await handlers['export:presets'](undefined)).toMatchObject({ defaultDir: old });
    expect((await handlers['export:run']({ id: 'm1', recipe })).files).toEqual([join(old, 'Chair.glb')]);
    expect((await handlers['export:run']({ id: 'm1', recipe, dir: old })).files).toEqual([join(old, 'Chair-2.glb')]);
  });
});

describe('settings:set and the output folder (through the real core)', () => {
  let core: AppCore;
  beforeEach(() => {
    core = createAppCore({
      dataDir,
      keys: createMemoryKeyVault({}),
      settings: createFileSettingsStore(settingsFile()),
      platform: createHeadlessPlatform({ pickedFolder: () => picked }),
      appInfo: { name: 'Image2Model', version: '0', dataDir, fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
  });
  afterEach(async () => {
    await core.stop();
  });
  const settingsNow = async () => {
    const result = await core.dispatch('settings:get', undefined);
    if (!result.ok) throw new Error(result.error.message);
    return result.data;
  };

  it('the page cannot name an output folder, nor add to the chosen folders', async () => {
    const elsewhere = join(root, 'elsewhere');
    const set = await core.dispatch('settings:set', { outputFolder: elsewhere });
    expect(set).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Choose the output folder with the Choose… button in Settings > Generation.' } });
    const add = await core.dispatch('settings:set', { exportFolders: [elsewhere] });
    expect(add).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await settingsNow()).toMatchObject({ outputFolder: null, exportFolders: [] });
    // Nor through both at once, nor by a path that resolves to it.
    expect(await core.dispatch('settings:set', { outputFolder: `${elsewhere}/.`, exportFolders: [elsewhere] })).toMatchObject({ ok: false });
    expect(await settingsNow()).toMatchObject({ outputFolder: null, exportFolders: [] });
  });

  it('a folder picked through export:chooseFolder can become the output folder, and back to the default', async () => {
    const mine = join(root, 'prints');
    picked = mine;
    expect(await core.dispatch('export:chooseFolder', {})).toEqual({ ok: true, data: { dir: mine } });
    expect(await core.dispatch('settings:set', { outputFolder: mine })).toMatchObject({ ok: true, data: { outputFolder: mine, exportFolders: [mine] } });
    expect(await core.dispatch('export:presets', undefined)).toMatchObject({ ok: true, data: { defaultDir: mine } });
    expect(await core.dispatch('settings:set', { outputFolder: null })).toMatchObject({ ok: true, data: { outputFolder: null } });
    expect(await core.dispatch('export:presets', undefined)).toMatchObject({ ok: true, data: { defaultDir: join(dataDir, 'exports') } });
  });
});
