// "Try a sample" through the real app core: the page names a sample by id, the core finds the shipped
// file and queues it through the same intake as a dropped photo; ids outside the catalog (names,
// paths, encodings) are refused with a message that names the samples, and no file is served for them.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppCore } from '../../src/core/app-core';
import { OFFLINE_MODEL_ID } from '../../src/core/models/catalog';
import type { AddJobsResult } from '../../src/shared/contract';
import type { LibraryModel } from '../../src/shared/domain';
import { SAMPLE_IDS, SAMPLES, sampleJobName } from '../../src/shared/samples';
import { createHeadlessPlatform } from '../../src/core/platform';
import { useTempAppCore, waitForJob } from '../support/temp-app-core';

const SAMPLES_DIR = join(import.meta.dirname, '../../resources/samples');

const startTempCore = useTempAppCore('samples');
const startCore = async (samplesDir: string | null): Promise<AppCore> => (await startTempCore({ options: { samplesDir } })).core;

describe('samples', () => {
  it('lists every shipped sample with its title', async () => {
    const app = await startCore(SAMPLES_DIR);
    const listed = await app.dispatch('samples:list', undefined);
    expect(listed).toEqual({ ok: true, data: SAMPLES });
    expect(SAMPLES.map((s) => s.id)).toEqual([...SAMPLE_IDS]);
  });

  // A whole offline generation and an export: more than the default 30 s on a machine busy with other work.
  it('queues a sample by id like a dropped photo; its model is named after the sample, and exported under that name', { timeout: 120_000 }, async () => {
    // The headless platform saves where a save dialog would start: this folder.
    const exportDir = mkdtempSync(join(tmpdir(), 'i2m-sample-exports-'));
    try {
      const { core: app } = await startTempCore({ options: { samplesDir: SAMPLES_DIR, platform: createHeadlessPlatform({ exportDir }) } });
      const added = await app.dispatch('samples:add', { id: 'duck', endpoint: OFFLINE_MODEL_ID, preset: 'draft' });
      expect(added.ok).toBe(true);
      const result = (added as { data: AddJobsResult }).data;
      expect(result.rejected).toEqual([]);
      expect(result.added).toHaveLength(1);
      expect(result.added[0]).toMatchObject({ endpoint: OFFLINE_MODEL_ID, preset: 'draft', inputName: 'Toy duck (sample).jpg' });

      const job = await waitForJob(app, result.added[0]!.id, (j) => j.state === 'succeeded' || j.state === 'failed');
      expect(job.state).toBe('succeeded');
      const model = await app.dispatch('library:get', { id: job.modelId! });
      // It was "sample-duck": a file name, not what anyone calls the toy duck they tried.
      expect(model.ok && (model.data as LibraryModel)).toMatchObject({ name: 'Toy duck (sample)', sourceName: 'Toy duck (sample).jpg' });
      const exported = await app.dispatch('export:model', { id: job.modelId!, format: 'glb' });
      const path = exported.ok ? (exported.data as { path: string | null }).path : null;
      expect(path && basename(path)).toBe('Toy duck (sample).glb');
      expect(readdirSync(exportDir)).toEqual(['Toy duck (sample).glb']);
      // The same intake as a drop: the same sample with the same settings is not made twice.
      const again = await app.dispatch('samples:add', { id: 'duck', endpoint: OFFLINE_MODEL_ID, preset: 'draft' });
      expect(again.ok && (again.data as AddJobsResult).duplicates).toEqual([{ input: 'Toy duck (sample).jpg', modelId: job.modelId, item: 0 }]);
    } finally {
      rmSync(exportDir, { recursive: true, force: true });
    }
  });

  it('names every sample after its title, marked as a sample', () => {
    expect(SAMPLE_IDS.map(sampleJobName)).toEqual(['Glazed vase (sample).jpg', 'Toy duck (sample).jpg', 'Apple (sample).jpg', 'Toy robot (sample).jpg']);
  });

  it('uses the default generator and quality when the page names none', async () => {
    const app = await startCore(SAMPLES_DIR);
    await app.dispatch('settings:set', { defaultModel: OFFLINE_MODEL_ID, defaultPreset: 'high' });
    const added = await app.dispatch('samples:add', { id: 'vase' });
    expect(added.ok && (added.data as AddJobsResult).added[0]).toMatchObject({ endpoint: OFFLINE_MODEL_ID, preset: 'high', inputName: 'Glazed vase (sample).jpg' });
  });

  it('refuses an id outside the catalog with a message that names the samples', async () => {
    const app = await startCore(SAMPLES_DIR);
    for (const id of ['cat', '../../etc/passwd', 'duck.jpg', '/tmp/x.png', 'DUCK', '']) {
      const answer = await app.dispatch('samples:add', { id });
      expect(answer.ok, id).toBe(false);
      expect(!answer.ok && answer.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('The samples are vase, duck, apple, robot') });
    }
    // A path where the id belongs is refused the same way; nothing was queued.
    const byPath = await app.dispatch('samples:add', { path: join(SAMPLES_DIR, 'duck.jpg') });
    expect(byPath.ok).toBe(false);
    const jobs = await app.dispatch('jobs:list', undefined);
    expect(jobs.ok && jobs.data).toEqual([]);
  });

  it('serves sample photos by id only', async () => {
    const app = await startCore(SAMPLES_DIR);
    expect(app.resolveFile('sample/apple')).toEqual({ path: join(SAMPLES_DIR, 'apple.jpg'), mime: 'image/jpeg' });
    for (const route of ['sample/cat', 'sample/..', 'sample/apple.jpg', 'sample/%2e%2e', 'sample/apple/x']) expect(app.resolveFile(route), route).toBeNull();
  });

  it('offers no samples when the installation has none, and says so when one is asked for', async () => {
    const app = await startCore(null);
    expect(await app.dispatch('samples:list', undefined)).toEqual({ ok: true, data: [] });
    const answer = await app.dispatch('samples:add', { id: 'apple' });
    expect(!answer.ok && answer.error.code).toBe('not_found');
    expect(app.resolveFile('sample/apple')).toBeNull();
  });
});
