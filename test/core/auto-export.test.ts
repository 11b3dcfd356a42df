// "Export after each model" through the real app core: a finished model lands in the output folder
// under its own name, and a second model with the same name does not overwrite it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../src/core/app-core';
import { createMemoryKeyVault } from '../../src/core/keys/memory-vault';
import { createHeadlessPlatform } from '../../src/core/platform';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import { checkGlbHeader } from '../../src/core/library/glb';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import { makeTestPng } from '../fixtures/make-glb';

let core: AppCore | null = null;
let dir: string | null = null;
afterEach(async () => {
  await core?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  core = null;
});

async function waitFor(check: () => boolean, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('export after each model', () => {
  it('copies each finished model into the output folder without overwriting', async () => {
    dir = mkdtempSync(join(tmpdir(), 'i2m-autoexport-'));
    const out = join(dir, 'models-out');
    const settings = createFileSettingsStore(join(dir, 'data', 'settings.json'));
    settings.set({ exportAfterSuccess: true, outputFolder: out });
    core = createAppCore({
      dataDir: join(dir, 'data'),
      keys: createMemoryKeyVault({}),
      settings,
      platform: createHeadlessPlatform(),
      appInfo: { name: 'Image2Model', version: '0.0.0', dataDir: join(dir, 'data'), fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    await core.start(() => {});
    for (const seed of [1, 2]) {
      const bytes = new Uint8Array(await makeTestPng(96, 96, { seed }));
      const result = await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'chair.png', bytes }], endpoint: OFFLINE_MODEL_ID });
      expect(result.ok).toBe(true);
    }
    await waitFor(() => existsSync(out) && readdirSync(out).filter((f) => f.endsWith('.glb') && !f.startsWith('.')).length === 2);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['chair-2.glb', 'chair.glb']);
    for (const file of files) expect(checkGlbHeader(readFileSync(join(out, file))).ok).toBe(true);
  });

  it('makes each finished model with the export preset chosen in Settings', async () => {
    dir = mkdtempSync(join(tmpdir(), 'i2m-autoexport-'));
    const out = join(dir, 'models-out');
    const settings = createFileSettingsStore(join(dir, 'data', 'settings.json'));
    settings.set({ exportAfterSuccess: true, outputFolder: out, autoExportPreset: 'print' });
    core = createAppCore({
      dataDir: join(dir, 'data'),
      keys: createMemoryKeyVault({}),
      settings,
      platform: createHeadlessPlatform(),
      appInfo: { name: 'Image2Model', version: '0.0.0', dataDir: join(dir, 'data'), fileBaseUrl: 'x://', platform: 'linux', transport: 'web' },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    await core.start(() => {});
    const bytes = new Uint8Array(await makeTestPng(96, 96, { seed: 3 }));
    expect((await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'vase.png', bytes }], endpoint: OFFLINE_MODEL_ID })).ok).toBe(true);
    await waitFor(() => existsSync(out) && readdirSync(out).filter((f) => !f.startsWith('.')).length === 2);
    expect(readdirSync(out).sort()).toEqual(['vase.3mf', 'vase.stl']);
  });
});
