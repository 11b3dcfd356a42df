// "Export after each model" into an output folder that can no longer be used (the USB stick was
// unplugged and something else now has its name, or the folder became read-only): the failure went
// only to the log, so the user believed every new model was in their folder. Now they are told, once
// per folder until an export there works again, with the folder and what to do.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAutoExport } from '../../src/core/auto-export';
import type { ExportService } from '../../src/core/export/service';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import type { EngineApi } from '../../src/core/services-types';
import { createFileSettingsStore } from '../../src/core/settings/file-store';
import type { Job } from '../../src/shared/domain';
import { createHeadlessPlatform } from '../../src/core/platform';
import { makeTestPng } from '../fixtures/make-glb';
import { useTempAppCore, waitForJob, waitForValue } from '../support/temp-app-core';

const startCore = useTempAppCore('autoexport-unusable');

describe('export after each model, into a folder that cannot be used', () => {
  it('tells the user once, then again after the folder worked and failed once more', async () => {
    const platform = createHeadlessPlatform();
    const { core, dir } = await startCore({
      settings: (dir) => ({ exportAfterSuccess: true, outputFolder: join(dir, 'models-out') }),
      options: { platform },
    });
    const out = join(dir, 'models-out');
    writeFileSync(out, 'a file where the folder was');
    const notices = () => platform.calls.filter((line) => line.startsWith('notify '));

    const addAndFinish = async (seed: number, name: string) => {
      const bytes = new Uint8Array(await makeTestPng(96, 96, { seed }));
      const result = await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name, bytes }], endpoint: OFFLINE_MODEL_ID });
      if (!result.ok) throw new Error(result.error.message);
      const [job] = (result.data as { added: { id: string }[] }).added;
      await waitForJob(core, job!.id, (j) => j.state === 'succeeded');
    };

    await addAndFinish(1, 'chair.png');
    const [first] = await waitForValue(() => (notices().length > 0 ? notices() : null), 20_000, 'a notification');
    expect(first).toContain('chair');
    expect(first).toContain(out);
    expect(first).toMatch(/Settings/);

    // A second model into the same broken folder: no second notification.
    await addAndFinish(2, 'table.png');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(notices()).toHaveLength(1);

    // The folder works again, then breaks again: that is news.
    rmSync(out);
    mkdirSync(out);
    await addAndFinish(3, 'lamp.png');
    await waitForValue(() => (readdirSync(out).some((f) => f.startsWith('lamp')) ? true : null), 20_000, 'lamp exported');
    rmSync(out, { recursive: true });
    writeFileSync(out, 'gone again');
    await addAndFinish(4, 'stool.png');
    await waitForValue(() => (notices().length === 2 ? true : null), 20_000, 'a second notification');
    expect(notices()[1]).toContain('stool');
  }, 120_000);

  it('follows the notifications setting', async () => {
    const platform = createHeadlessPlatform();
    const { core, dir } = await startCore({
      settings: (dir) => ({ exportAfterSuccess: true, outputFolder: join(dir, 'models-out'), notifications: false }),
      options: { platform },
    });
    writeFileSync(join(dir, 'models-out'), 'not a folder');
    const bytes = new Uint8Array(await makeTestPng(96, 96, { seed: 5 }));
    const result = await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'vase.png', bytes }], endpoint: OFFLINE_MODEL_ID });
    if (!result.ok) throw new Error(result.error.message);
    await waitForJob(core, (result.data as { added: { id: string }[] }).added[0]!.id, (j) => j.state === 'succeeded');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(platform.calls.filter((line) => line.startsWith('notify '))).toEqual([]);
  }, 60_000);

  it('names the real reason when the folder is fine and the export itself failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'i2m-autoexport-reason-'));
    try {
      const listeners: ((job: Job) => void)[] = [];
      const engine = {
        on: (_event: 'job', listener: (job: Job) => void) => {
          listeners.push(listener);
          return () => undefined;
        },
        library: { get: () => ({ id: 'm1', name: 'chair' }), filePath: () => join(dir, 'chair.glb') },
      } as unknown as EngineApi;
      const settings = createFileSettingsStore(join(dir, 'settings.json'));
      settings.set({ exportAfterSuccess: true, outputFolder: join(dir, 'out'), autoExportPreset: 'print' });
      const exports = {
        presets: { get: () => ({ id: 'print', recipe: {} }) },
        run: async () => {
          throw new Error('The model file changed since it was stored');
        },
      } as unknown as ExportService;
      const told: string[] = [];
      startAutoExport(engine, settings, join(dir, 'exports'), { info: () => {}, warn: () => {}, error: () => {} }, exports, (title, body) => told.push(`${title}: ${body}`));
      for (const listener of listeners) listener({ id: 'j1', state: 'succeeded', modelId: 'm1' } as Job);
      await waitForValue(() => (told.length > 0 ? true : null), 5_000, 'a notification');
      expect(told).toEqual(['Automatic export failed: chair was not exported: The model file changed since it was stored. The model is in your library.']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
