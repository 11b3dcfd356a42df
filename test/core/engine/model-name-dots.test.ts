// A model's name keeps the dots of its photo's name: "chair v1.2.png" is "chair v1.2" in the library,
// in the CLI's --out file and in an export named in the save dialog. The library took what followed the
// last dot of the job's name as an extension, so a set named "chair v1.2" (a set's name has none) and a
// photo kept without its extension became "chair v1"; the CLI wrote "chair v1.glb".
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeJobOutput } from '../../../src/cli/write-output';
import { createHeadlessPlatform } from '../../../src/core/platform';
import { OFFLINE_MODEL_ID } from '../../../src/core/models/catalog';
import type { AddJobsResult } from '../../../src/shared/contract';
import type { LibraryModel } from '../../../src/shared/domain';
import { makeTestPng } from '../../fixtures/make-glb';
import { useTempAppCore, waitForJob as waitForCoreJob } from '../../support/temp-app-core';
import { createHarness, inState, pngItem, waitForJob, type Harness } from './harness';

const RODIN = 'fal-ai/hyper3d/rodin';

let h: Harness | undefined;
let out: string | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (out) rmSync(out, { recursive: true, force: true });
  out = undefined;
});

describe('model names with dots', () => {
  it('a set of "chair v1.2" photos is the model "chair v1.2"', async () => {
    h = await createHarness();
    const items = [await pngItem('chair v1.2.png'), await pngItem('table.png')];
    const { added } = await h.engine.addSet(items.map((item) => ({ item })), { endpoint: RODIN });
    expect(added[0]!.inputName).toBe('chair v1.2');
    const job = await waitForJob(h.engine, added[0]!.id, inState('succeeded'));
    expect(h.engine.library.get(job.modelId!)!.name).toBe('chair v1.2');
  });

  it('a photo without an extension keeps its whole name, in the library and in the CLI output', async () => {
    h = await createHarness();
    out = mkdtempSync(join(tmpdir(), 'i2m-name-dots-'));
    const { added } = await h.engine.addImages([await pngItem('chair v1.2')], { outputDir: out });
    const job = await waitForJob(h.engine, added[0]!.id, inState('succeeded'));
    expect(h.engine.library.get(job.modelId!)!.name).toBe('chair v1.2');
    const src = h.engine.library.filePath(job.modelId!)!;
    expect(await writeJobOutput(h.engine, job.id, src, { dir: out, name: 'chair v1.2' })).toBe(join(out, 'chair v1.2.glb'));
  });
});

const startCore = useTempAppCore('name-dots');

describe('export named in the save dialog', () => {
  it('"chair v1.2" typed in the dialog is written as chair v1.2.glb', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'i2m-name-dots-save-'));
    out = dir;
    const platform = { ...createHeadlessPlatform(), chooseSavePath: async () => join(dir, 'chair v1.2') };
    const { core } = await startCore({ options: { platform } });
    const bytes = new Uint8Array(await makeTestPng(96, 96, { seed: 12 }));
    const added = await core.dispatch('jobs:add', { items: [{ kind: 'bytes', name: 'chair v1.2.png', bytes }], endpoint: OFFLINE_MODEL_ID, preset: 'draft' });
    const jobId = (added as { data: AddJobsResult }).data.added[0]!.id;
    const job = await waitForCoreJob(core, jobId, (j) => j.modelId !== null, 30_000);
    const model = (await core.dispatch('library:get', { id: job.modelId! })) as { data: LibraryModel };
    expect(model.data.name).toBe('chair v1.2');
    const exported = await core.dispatch('export:model', { id: job.modelId!, format: 'glb' });
    expect(exported).toEqual({ ok: true, data: { path: join(dir, 'chair v1.2.glb') } });
    expect(existsSync(join(dir, 'chair v1.2.glb'))).toBe(true);
  });
});
