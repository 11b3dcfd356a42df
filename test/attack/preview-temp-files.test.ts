// Attack on previews downloaded into a temp file in <data>/previews (library-ingest.ts downloadPreview,
// storePreview, dropPreview): whatever becomes of the preview - refused, too large, not an image, never
// answered, its model fetched twice, the engine closed meanwhile - the job keeps its model and no temp
// file stays behind in the previews folder.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeLeftoverTempFiles } from '../../src/core/library/files';
import type { FaultRule } from '../fake-fal/types';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const isPreview = (url: string) => url.includes('.png');

/** Adds a job whose preview never comes; resolves once the engine has asked for it. */
async function addWithHangingPreview(harness: Harness): Promise<string> {
  let previewAsked = false;
  harness.fake.script({
    op: 'file',
    times: Infinity,
    when: (ctx) => isPreview(ctx.targetUrl) && (previewAsked = true),
    fault: { kind: 'hang' },
  });
  const id = await addOne(harness.engine);
  await waitForJob(harness.engine, id, () => previewAsked);
  return id;
}
const isModel = (url: string) => url.includes('.glb');

/** Every file name under `<data>/previews`, temp files too. */
function previewFiles(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(e.name);
    }
  };
  if (existsSync(join(dataDir, 'previews'))) walk(join(dataDir, 'previews'));
  return out;
}
const tempFiles = (dataDir: string) => previewFiles(dataDir).filter((name) => name.startsWith('.tmp-'));

describe('a preview that cannot be kept never fails the job nor leaves a temp file', () => {
  const cases: [string, FaultRule['fault']][] = [
    ['answered 404', { kind: 'http', status: 404, body: { detail: 'gone' } }],
    ['answered 403', { kind: 'auth', status: 403 }],
    ['not an image', { kind: 'http', status: 200, body: { not: 'an image' } }],
    ['over the preview cap, declared', { kind: 'oversized', bytes: 21 * 1024 * 1024 }],
    ['over the preview cap, chunked', { kind: 'oversized', bytes: 21 * 1024 * 1024, chunked: true }],
    ['cut off mid-body', { kind: 'truncate', bytes: 100, abort: true }],
  ];
  for (const [name, fault] of cases) {
    it(`preview ${name}`, async () => {
      h = await createHarness();
      h.fake.script({ op: 'file', when: (ctx) => isPreview(ctx.targetUrl), fault });
      const id = await addOne(h.engine);
      const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
      expect(job.state).toBe('succeeded');
      const model = h.engine.library.list({ offset: 0, limit: 10 }).items[0]!;
      expect(h.engine.library.previewPath(model.id)).toBeNull();
      expect(tempFiles(h.dataDir)).toEqual([]);
      expect(previewFiles(h.dataDir)).toEqual([]);
    });
  }
});

it('a model download that fails once, then comes on the second result fetch: one stored preview, no temp file', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', when: (ctx) => isModel(ctx.targetUrl), fault: { kind: 'expired' } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job.state).toBe('succeeded');
  expect(tempFiles(h.dataDir)).toEqual([]);
  expect(previewFiles(h.dataDir)).toHaveLength(1);
});

it('a model that fails on every fetch: no preview and no temp file stays', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => isModel(ctx.targetUrl), fault: { kind: 'expired' } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job.state).toBe('failed');
  expect(previewFiles(h.dataDir)).toEqual([]);
});

it('two jobs with the same preview bytes at once: both succeed, one stored preview, no temp file', async () => {
  h = await createHarness({ fake: { uniqueOutputs: false } });
  const [a, b] = await Promise.all([addOne(h.engine), addOne(h.engine)]);
  for (const id of [a!, b!]) {
    const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
    expect(job.state).toBe('succeeded');
  }
  expect(tempFiles(h.dataDir)).toEqual([]);
});

it('engine.close() while the preview is still coming: no temp file stays in the previews folder', async () => {
  h = await createHarness({ engine: { timing: { downloadTimeoutMs: 60_000 } } });
  await addWithHangingPreview(h);
  // The model is in, its ingest waits on the preview.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await h.engine.close();
  // Whatever was still running has had its chance to clean up.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(tempFiles(h.dataDir)).toEqual([]);
}, 30_000);

it('a cancel while the preview is still coming: the paid model is kept, no temp file stays in the previews folder', async () => {
  h = await createHarness();
  const id = await addWithHangingPreview(h);
  void h.engine.cancel(id);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job.state).toBe('succeeded');
  await h.engine.waitForIdle();
  expect(tempFiles(h.dataDir)).toEqual([]);
}, 30_000);

it("a preview that came early is kept young while its model still downloads: another process's clean-up does not take it", async () => {
  // Another process sharing the folder (the CLI) removes temp files older than its minimum age when it
  // starts; a download in progress renews its file's time so that it is not taken for a crash's leftover.
  h = await createHarness({ engine: { timing: { tempFileTouchMs: 50, downloadTimeoutMs: 20_000 } } });
  let modelAsked = false;
  h.fake.script({ op: 'file', when: (ctx) => isModel(ctx.targetUrl) && (modelAsked = true), delayMs: 2_000 });
  const id = await addOne(h.engine);
  await waitForJob(h.engine, id, () => modelAsked);
  // The preview (small) is in its temp file long before the model comes.
  const start = Date.now();
  while (tempFiles(h.dataDir).length === 0 && Date.now() - start < 5_000) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await removeLeftoverTempFiles(join(h.dataDir, 'previews'), { minAgeMs: 700 });
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(job.state).toBe('succeeded');
  const model = h.engine.library.list({ offset: 0, limit: 10 }).items[0]!;
  const preview = h.engine.library.previewPath(model.id);
  expect(preview).toBeTruthy();
  expect(existsSync(preview!)).toBe(true);
}, 30_000);

it("a model fetched again for a fresh link does not first wait out the dropped round's stalled preview", async () => {
  // The first link of the model has expired and its preview does not come: the result is fetched
  // again at once (the dropped preview is stopped, not awaited until its time limit) and the job
  // ends with its model long before that limit.
  h = await createHarness({ engine: { timing: { downloadTimeoutMs: 120_000, downloadRetryMs: 0 } } });
  h.fake.script({ op: 'file', when: (ctx) => isModel(ctx.targetUrl), fault: { kind: 'expired' } });
  h.fake.script({ op: 'file', when: (ctx) => isPreview(ctx.targetUrl), fault: { kind: 'hang' } });
  const id = await addOne(h.engine);
  const job = await waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 30_000);
  expect(job.state).toBe('succeeded');
  expect(h.engine.library.previewPath(job.modelId!)).toBeTruthy();
  expect(tempFiles(h.dataDir)).toEqual([]);
}, 45_000);

it('a cancel while the model waits for its stalled preview ends the job at once, and engine.close() does not wait for it', async () => {
  h = await createHarness({ engine: { timing: { downloadTimeoutMs: 120_000 } } });
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => isPreview(ctx.targetUrl), fault: { kind: 'hang' } });
  const id = await addOne(h.engine);
  // The model is checked and about to be stored; the preview does not come.
  await waitForJob(h.engine, id, (job) => job.message === 'Adding the model to the library');
  void h.engine.cancel(id);
  const ended = waitForJob(h.engine, id, inState('succeeded', 'failed', 'needs_attention', 'canceled'), 20_000).then((job) => job.state);
  const closedAfter = ended.then(
    () => 'ended',
    () => 'still waiting',
  );
  expect(await closedAfter).toBe('ended');
  await h.engine.close();
  expect(tempFiles(h.dataDir)).toEqual([]);
}, 45_000);
