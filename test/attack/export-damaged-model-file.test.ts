// Attack: a model's file in the library folder deleted, truncated or overwritten outside the app (a
// sync tool, a disk error, a hand edit). "Export" as GLB copied the damaged file and answered ok - the
// user got a broken model as if it were fine - and the other exports failed with a raw
// "ENOENT: no such file or directory, open '<path>'" or "Cannot export: The file is not a GLB",
// which say neither what happened nor what to do. Models are stored under their content hash: every
// export now checks the file against it and says which model, what happened and what to do.
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { AppCore } from '../../src/core/app-core';
import { createHeadlessPlatform } from '../../src/core/platform';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import type { AddJobsResult } from '../../src/shared/contract';
import { useTempAppCore, waitForJob } from '../support/temp-app-core';

const SAMPLES_DIR = join(import.meta.dirname, '../../resources/samples');
const start = useTempAppCore('damaged-model');
/** Where the headless platform's save dialog "chooses" to export. */
const saveDir = mkdtempSync(join(tmpdir(), 'i2m-damaged-model-save-'));
afterAll(() => rmSync(saveDir, { recursive: true, force: true }));

async function oneModel(app: AppCore): Promise<string> {
  const added = await app.dispatch('samples:add', { id: 'apple', endpoint: OFFLINE_MODEL_ID, preset: 'draft' });
  const job = await waitForJob(app, (added as { data: AddJobsResult }).data.added[0]!.id, (j) => j.state === 'succeeded' || j.state === 'failed');
  expect(job.state).toBe('succeeded');
  return job.modelId!;
}

const DAMAGE = {
  deleted: { damage: (file: string) => unlinkSync(file), says: /"Apple \(sample\)" is missing from the library folder .*Put it back, or make the model again/ },
  truncated: { damage: (file: string) => truncateSync(file, 1000), says: /"Apple \(sample\)" in the library folder is damaged or was changed outside the app .*make the model again/ },
  replaced: { damage: (file: string) => writeFileSync(file, 'not a model'), says: /"Apple \(sample\)" in the library folder is damaged or was changed/ },
};

it.each(Object.entries(DAMAGE))('a model whose file was %s is exported by no channel, and each says so', async (_how, { damage, says }) => {
  const { core: app, dataDir } = await start({ options: { samplesDir: SAMPLES_DIR, platform: createHeadlessPlatform({ exportDir: saveDir }) } });
  const id = await oneModel(app);
  damage(app.engine.library.filePath(id)!);
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
    expect(message).toMatch(says);
    expect(message).not.toMatch(/ENOENT|not a GLB|Export failed/);
  }
  const batch = await app.dispatch('export:batch', { batchId: 'b1', ids: [id], recipe });
  expect(batch.ok && batch.data).toMatchObject({ succeeded: 0, failed: 1, items: [{ ok: false, error: expect.stringMatching(says) }] });
  expect(readdirSync(saveDir)).toEqual([]);
  const defaultExports = join(dataDir, 'exports');
  expect(existsSync(defaultExports) ? readdirSync(defaultExports) : []).toEqual([]);
}, 60_000);
