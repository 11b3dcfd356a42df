// Attack on a cancel that lands while the model of a job FAL has finished downloads. The cancel finds
// FAL done (ALREADY_COMPLETED), so the paid result is kept: the result is fetched again and the model
// downloaded again. Its preview image is optional: one that does not come must not hold the cancel
// until the preview's own time limit (up to 60 s) - the job ends with its model, without the preview,
// and no temp file stays behind. Keeping the model is given as long as a cancel waits (cancelWaitMs):
// a model that does not come by then ends the job at once, its request id kept for a free Download again.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { cancelDuringModelDownload, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const tempFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('.tmp-')) : []);

it('a cancel during the model download of a finished job ends it at once with its model kept, not held by a stalled preview', async () => {
  // Preview time limit: min(60 s, downloadTimeoutMs) = 60 s; the job must end long before.
  h = await createHarness({ engine: { timing: { downloadTimeoutMs: 120_000, downloadRetryMs: 60_000 } } });
  // The first model download stalls (the cancel lands during it); the preview never comes.
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.png'), fault: { kind: 'hang' } });
  const { downloading, ended: job } = await cancelDuringModelDownload(h);
  expect(downloading.state).toBe('downloading');
  expect(job.state).toBe('succeeded');
  expect(job.falRequestId).toBe(downloading.falRequestId);
  expect(h.engine.library.get(job.modelId!)).not.toBeNull();
  expect(h.engine.library.previewPath(job.modelId!)).toBeNull();
  // What the user reads in the job's journal.
  const lines = h.engine.jobEvents(job.id).map((e) => e.message ?? '');
  expect(lines).toContain('FAL had already finished this job; keeping the result');
  expect(lines).toContain('Preview image not kept: the job was canceled before it came');
  expect(h.fake.submissions).toHaveLength(1);
  await h.engine.waitForIdle();
  expect(tempFiles(join(h.dataDir, 'previews'))).toEqual([]);
  expect(tempFiles(join(h.dataDir, 'library'))).toEqual([]);
}, 45_000);

it('a cancel during the model download of a finished job whose model does not come again ends it at once, with a free Download again', async () => {
  // Download time limit 120 s; a cancel waits (and the model is kept) for 1 s.
  h = await createHarness({ engine: { timing: { downloadTimeoutMs: 120_000, downloadRetryMs: 60_000, cancelWaitMs: 1_000 } } });
  // The model stalls on the first two requests: the cancel lands during the first, the kept result's is the second.
  const { downloading, ended: job } = await cancelDuringModelDownload(h, 2);

  // What the user sees: a failed job offering Download again (free), not a paid Generate again.
  expect(job).toMatchObject({ state: 'failed', errorCode: 'result_download_failed', falRequestId: downloading.falRequestId });
  expect(job.errorMessage).toMatch(/Canceled while its model was downloading.*Download again \(free\)/);
  await h.engine.waitForIdle();
  expect(tempFiles(join(h.dataDir, 'library'))).toEqual([]);
  expect(tempFiles(join(h.dataDir, 'previews'))).toEqual([]);

  // Download again fetches the paid result; nothing is submitted again.
  const again = await h.engine.retry(job.id, { mode: 'download' });
  expect(again.state).toBe('queued');
  const done = await waitForJob(h.engine, job.id, inState('succeeded', 'failed', 'needs_attention', 'canceled'));
  expect(done.state).toBe('succeeded');
  expect(h.fake.submissions).toHaveLength(1);
}, 45_000);
