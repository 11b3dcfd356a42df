// "Export after each model" through the real app core: a finished model lands in the output folder
// under its own name, and a second model with the same name does not overwrite it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGlbHeader } from '../../src/core/library/glb';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import { makeTestPng } from '../fixtures/make-glb';
import { useTempAppCore, waitForValue } from '../support/temp-app-core';

const startCore = useTempAppCore('autoexport');
/**
 * Until `out` holds `count` files that `counts` takes and the export into it is done. A file has its
 * name before the export ends: its temp file and journal (dot-files) go only after a sync, and a test
 * that looked then saw them beside the models.
 */
const filesIn = (out: string, count: number, counts: (file: string) => boolean) =>
  waitForValue(
    () => {
      const names = existsSync(out) ? readdirSync(out) : [];
      return names.filter(counts).length === count && !names.some((name) => name.startsWith('.')) ? true : null;
    },
    20_000,
    `${count} files in ${out}, and no export's temp file`,
  );

describe('export after each model', () => {
  it('copies each finished model into the output folder without overwriting', async () => {
    const { core, dir } = await startCore({ settings: (dir) => ({ exportAfterSuccess: true, outputFolder: join(dir, 'models-out') }) });
    const out = join(dir, 'models-out');
    for (const seed of [1, 2]) {
      const bytes = new Uint8Array(await makeTestPng(96, 96, { seed }));
      const result = await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'chair.png', bytes }], endpoint: OFFLINE_MODEL_ID });
      expect(result.ok).toBe(true);
    }
    await filesIn(out, 2, (f) => f.endsWith('.glb') && !f.startsWith('.'));
    const files = readdirSync(out).sort();
    expect(files).toEqual(['chair-2.glb', 'chair.glb']);
    for (const file of files) expect(checkGlbHeader(readFileSync(join(out, file))).ok).toBe(true);
  });

  it('makes each finished model with the export preset chosen in Settings', async () => {
    const { core, dir } = await startCore({ settings: (dir) => ({ exportAfterSuccess: true, outputFolder: join(dir, 'models-out'), autoExportPreset: 'print' }) });
    const out = join(dir, 'models-out');
    const bytes = new Uint8Array(await makeTestPng(96, 96, { seed: 3 }));
    expect((await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'vase.png', bytes }], endpoint: OFFLINE_MODEL_ID })).ok).toBe(true);
    await filesIn(out, 2, (f) => !f.startsWith('.'));
    expect(readdirSync(out).sort()).toEqual(['vase.3mf', 'vase.stl']);
  });
});
