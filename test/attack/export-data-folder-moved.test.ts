// Attack: the whole data folder moved or removed while the app ran, then a model exported. Every
// export said the model's file "is missing from the library folder: it was deleted or moved outside
// the app. Put it back, or make the model again" - one model's file blamed, and making it again (paid
// once more) offered for a model that is intact in the folder that moved. Now it says the data folder
// was moved or removed and to put it back, with nothing to make again.
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createHeadlessPlatform } from '../../src/core/platform';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import type { AddJobsResult } from '../../src/shared/contract';
import { useTempAppCore, waitForJob } from '../support/temp-app-core';

const SAMPLES_DIR = join(import.meta.dirname, '../../resources/samples');
const start = useTempAppCore('export-folder-moved');
const saveDir = mkdtempSync(join(tmpdir(), 'i2m-export-folder-moved-save-'));
afterAll(() => rmSync(saveDir, { recursive: true, force: true }));

it('an export while the data folder is moved says so - not a missing model to make again - and works once it is back', async () => {
  const { core: app, dataDir } = await start({ options: { samplesDir: SAMPLES_DIR, platform: createHeadlessPlatform({ exportDir: saveDir }) } });
  const added = await app.dispatch('samples:add', { id: 'apple', endpoint: OFFLINE_MODEL_ID, preset: 'draft' });
  const job = await waitForJob(app, (added as { data: AddJobsResult }).data.added[0]!.id, (j) => j.state === 'succeeded' || j.state === 'failed');
  const id = job.modelId!;
  renameSync(dataDir, `${dataDir}-moved`);
  try {
    const recipe = { formats: ['glb', 'stl'] };
    const answers = [
      await app.dispatch('export:model', { id, format: 'glb' }),
      await app.dispatch('export:model', { id, format: 'obj' }),
      await app.dispatch('export:plan', { id, recipe }),
      await app.dispatch('export:run', { id, recipe }),
    ];
    for (const answer of answers) {
      expect(answer.ok).toBe(false);
      const { message } = (answer as { error: { message: string } }).error;
      expect(message).toMatch(/data folder \(.*\) was moved or removed.*Put the folder back/);
      expect(message).not.toMatch(/make the model again|ENOENT|Something went wrong/i);
    }
    expect(existsSync(dataDir)).toBe(false);
  } finally {
    renameSync(`${dataDir}-moved`, dataDir);
  }
  expect(await app.dispatch('export:model', { id, format: 'glb' })).toMatchObject({ ok: true });
}, 60_000);
