// Attack on the kept answer and cancels without a key: a Download again waiting for a FAL key (the
// key was removed) is canceled. The job ended "Canceled here; without a key FAL could not be told, so
// it may still run and be charged" - untrue for a request FAL had finished - and its paid model, which
// the kept answer still names, could no longer be fetched (a canceled job never comes back).
import { afterEach, expect, it } from 'vitest';
import { canDownloadAgain } from '../../src/shared/job-retry';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ended = inState('succeeded', 'failed', 'needs_attention', 'canceled');

it('canceling a Download again that waits for a key keeps the finished model reachable and says so truly', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended, 20_000);
  expect(failed.errorCode).toBe('result_download_failed');
  // The kept link now says it has expired: with no key, the Download again waits for one (FAL's
  // answer is needed for a fresh link; a kept link that works needs no key, kept-result.test.ts).
  h.fake.clearScript();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'expired' } });

  h.key.value = null;
  await h.engine.retry(id, { mode: 'download' });
  await waitForJob(h.engine, id, (job) => job.state === 'queued' && /FAL key/.test(job.message ?? ''), 10_000);
  await h.engine.cancel(id);
  const after = await waitForJob(h.engine, id, ended, 10_000);
  expect(after.message).not.toMatch(/may still run/);
  expect(canDownloadAgain(after)).toBe(true);

  // With a key again, Download again (free) gets the model; nothing was submitted twice.
  h.fake.clearScript();
  h.key.value = 'test-key-1234567890';
  await h.engine.retry(id, { mode: 'download' });
  expect((await waitForJob(h.engine, id, ended, 20_000)).state).toBe('succeeded');
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);
