// Attack on the kept answer (engine/stored-result.ts): FAL has forgotten a finished request and the
// model's own link - the one the kept answer names - fails for a little longer than the brief try it
// gets (a CDN blip). FAL's answer, asked again, is gone (404): the job ended as "FAL no longer holds
// this job's result ... Generate again (charged again)" with Download again hidden, although the kept
// link worked again moments later - the paid model was lost to a blip.
import { afterEach, expect, it } from 'vitest';
import { canDownloadAgain } from '../../src/shared/job-retry';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ended = inState('succeeded', 'failed', 'needs_attention', 'canceled');

it('a kept link that fails for a while after FAL forgot the request keeps Download again, which then gets the model', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended, 20_000);
  expect(failed).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
  expect(h.fake.forget(failed.falRequestId!)).toBe(true);

  // Download again while the link still fails: FAL's answer is gone, the kept link is all there is.
  await h.engine.retry(id, { mode: 'download' });
  const again = await waitForJob(h.engine, id, ended, 20_000);
  expect(again.state).toBe('failed');
  expect(canDownloadAgain(again)).toBe(true);
  expect(again.message).not.toMatch(/Generate again/);

  // The link works again: Download again (free) gets the model, with no second submit.
  h.fake.clearScript();
  await h.engine.retry(id, { mode: 'download' });
  const done = await waitForJob(h.engine, id, inState('succeeded', 'canceled'), 20_000);
  expect(done.state).toBe('succeeded');
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);

it('a kept link that says it has expired, after FAL forgot the request, ends the job without a Download again that cannot work', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended, 20_000);
  expect(failed.errorCode).toBe('result_download_failed');
  expect(h.fake.forget(failed.falRequestId!)).toBe(true);

  h.fake.clearScript();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'expired' } });
  await h.engine.retry(id, { mode: 'download' });
  const again = await waitForJob(h.engine, id, ended, 20_000);
  expect(again).toMatchObject({ state: 'failed', errorCode: 'result_expired' });
  expect(canDownloadAgain(again)).toBe(false);
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);
