// Attack: a model's file deleted outside the app (a cleanup tool, a sync conflict). Its export now says
// "make the model again" - but dropping the photo again answered "already made" and pointed at the model
// with no file, so nothing was made unless the user found "make again anyway". A model whose file is
// gone no longer counts as made: the photo is queued, and the new model can be exported.
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import type { AddJobsResult } from '../../src/shared/contract';
import { sampleJobName } from '../../src/shared/samples';
import { useTempAppCore, waitForJob } from '../support/temp-app-core';

const start = useTempAppCore('remake-deleted');
const SAMPLES_DIR = join(import.meta.dirname, '../../resources/samples');

it('a photo whose model lost its file is made again, not refused as already made', async () => {
  const { core } = await start({ options: { samplesDir: SAMPLES_DIR } });
  const add = async () => (await core.dispatch('samples:add', { id: 'robot', endpoint: OFFLINE_MODEL_ID, preset: 'draft' })) as { ok: true; data: AddJobsResult };
  const first = await add();
  const job = await waitForJob(core, first.data.added[0]!.id, (j) => j.state === 'succeeded' || j.state === 'failed');
  expect(job.state).toBe('succeeded');
  // While the file is there, the same photo is a duplicate.
  expect((await add()).data.duplicates).toEqual([{ input: sampleJobName('robot'), modelId: job.modelId, item: 0 }]);

  unlinkSync(core.engine.library.filePath(job.modelId!)!);
  const again = await add();
  expect(again.data.duplicates).toEqual([]);
  expect(again.data.added).toHaveLength(1);
  const remade = await waitForJob(core, again.data.added[0]!.id, (j) => j.state === 'succeeded' || j.state === 'failed');
  expect(remade.state).toBe('succeeded');
  const exported = await core.dispatch('export:run', { id: remade.modelId!, recipe: { formats: ['glb'] } });
  expect(exported.ok).toBe(true);
}, 60_000);
