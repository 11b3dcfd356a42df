// "Make with another generator" (library:remake) through the real app core: the photo a model was
// made from is queued again with the chosen generator by the usual intake, and a model whose job
// (and so its photo) is gone says so plainly.
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../../src/core/app-core';
import { listModels, OFFLINE_MODEL_ID } from '../../../src/core/models/catalog';
import type { AddJobsResult } from '../../../src/shared/contract';
import type { Job } from '../../../src/shared/domain';
import { makeTestPng } from '../../fixtures/make-glb';
import { useTempAppCore, waitForJob } from '../../support/temp-app-core';

const startTempCore = useTempAppCore('remake');
const startCore = async (): Promise<AppCore> => (await startTempCore()).core;

async function makeModel(app: AppCore): Promise<string> {
  const bytes = new Uint8Array(await makeTestPng(96, 96, { seed: 7 }));
  const added = await app.dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'chair.png', bytes }], endpoint: OFFLINE_MODEL_ID, preset: 'standard' });
  if (!added.ok) throw new Error(JSON.stringify(added));
  const jobId = (added.data as AddJobsResult).added[0]!.id;
  const job = await waitForJob(app, jobId, (j) => j.modelId !== null, 30_000);
  return job.modelId!;
}

describe('library:remake', () => {
  it('queues the same photo with another generator', async () => {
    const app = await startCore();
    const modelId = await makeModel(app);
    const fal = listModels().find((m) => m.provider === 'fal' && m.images.min <= 1)!;

    const remade = await app.dispatch('library:remake', { modelId, endpoint: fal.id, preset: 'draft' });
    expect(remade.ok).toBe(true);
    const result = (remade as { data: AddJobsResult }).data;
    expect(result.added).toHaveLength(1);
    expect(result.added[0]).toMatchObject({ endpoint: fal.id, preset: 'draft', inputName: 'chair.png' });
    const jobs = await app.dispatch('jobs:list', undefined);
    expect(jobs.ok && (jobs.data as Job[]).filter((j) => j.endpoint === fal.id)).toHaveLength(1);
  });

  it('says plainly when the photo is no longer kept, and refuses unknown models', async () => {
    const app = await startCore();
    const modelId = await makeModel(app);
    await app.dispatch('jobs:clearFinished', undefined);
    const gone = await app.dispatch('library:remake', { modelId, endpoint: OFFLINE_MODEL_ID, preset: 'draft' });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/no longer kept/) } });
    const unknown = await app.dispatch('library:remake', { modelId: 'no-such-model', endpoint: OFFLINE_MODEL_ID, preset: 'draft' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
