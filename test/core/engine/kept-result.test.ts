// FAL drops its copy of a finished request's answer after a while (an hour; minutes for large ones)
// while the model's own link lives on: the answer is kept with the job from its first fetch, so
// Download again - and a run resumed later - fetches the model from that link without asking FAL, and
// falls back to FAL's answer only when the link no longer works.
import { afterEach, expect, it } from 'vitest';
import { keptLinkFailedJson, keptResultJson, keptResultOf } from '../../../src/core/engine/stored-result';
import { addOne, createHarness, inState, TEST_KEY, waitForJob, waitForQueue, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ended = inState('succeeded', 'failed', 'needs_attention', 'canceled');

it('Download again gets the model from its kept link after FAL has forgotten the request, with no second submit', async () => {
  h = await createHarness();
  // The model's link keeps failing while the job runs: it ends with Download again (free).
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended, 20_000);
  expect(failed).toMatchObject({ state: 'failed', errorCode: 'result_download_failed', requestFinished: false });
  const resultGets = h.fake.requestsFor('result').length;

  // Later: FAL no longer knows the request (status and result 404), but the model's link works again.
  h.fake.clearScript();
  expect(h.fake.forget(failed.falRequestId!)).toBe(true);
  await h.engine.retry(id, { mode: 'download' });
  const done = await waitForJob(h.engine, id, ended, 20_000);

  expect(done.state).toBe('succeeded');
  expect(h.engine.library.get(done.modelId!)).not.toBeNull();
  expect(h.fake.submissions).toHaveLength(1);
  // Nothing was asked of FAL for it: the kept answer named the model.
  expect(h.fake.requestsFor('result')).toHaveLength(resultGets);
}, 45_000);

it('a kept link that no longer works falls back to FAL\'s answer, asked again', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended, 20_000);
  expect(failed.errorCode).toBe('result_download_failed');
  const resultGets = h.fake.requestsFor('result').length;

  // The link now answers 404 (an expired object) for good: Download again tries it, then asks FAL.
  h.fake.clearScript();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'expired' } });
  await h.engine.retry(id, { mode: 'download' });
  const again = await waitForJob(h.engine, id, ended, 30_000);

  expect(again).toMatchObject({ state: 'failed', errorCode: 'result_download_failed', requestFinished: false });
  expect(h.fake.requestsFor('result').length).toBeGreaterThan(resultGets);
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);

it('an answer kept for one request is never used for another (a paid Generate again sends a new one)', () => {
  const same = (text: string) => text;
  const json = keptResultJson('req-1', { model_mesh: { url: 'https://x/model.glb' } }, same)!;
  expect(keptResultOf({ resultOutputJson: json, falRequestId: 'req-1' })).toEqual({ output: { model_mesh: { url: 'https://x/model.glb' } }, linkFailed: false });
  expect(keptResultOf({ resultOutputJson: keptLinkFailedJson(json), falRequestId: 'req-1' })).toEqual({ output: { model_mesh: { url: 'https://x/model.glb' } }, linkFailed: true });
  expect(keptResultOf({ resultOutputJson: json, falRequestId: 'req-2' })).toBeNull();
  expect(keptResultOf({ resultOutputJson: '{not json', falRequestId: 'req-1' })).toBeNull();
  expect(keptResultOf({ resultOutputJson: json, falRequestId: null })).toBeNull();
  expect(keptResultJson('req-1', { blob: 'x'.repeat(100_000) }, same)).toBeNull();
  // An answer that echoes the key keeps it hidden.
  const echoed = keptResultJson('req-1', { model_mesh: { url: 'https://x/model.glb?k=secret-key-123' } }, (text) => text.replaceAll('secret-key-123', '[redacted key]'))!;
  expect(echoed).not.toContain('secret-key-123');
});

it('Download again with no FAL key fetches the model from its kept link (the link needs no key)', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended, 20_000);
  expect(failed.errorCode).toBe('result_download_failed');
  const resultGets = h.fake.requestsFor('result').length;

  // The key is gone (cleared in Settings), FAL has forgotten the request, the link works again.
  h.fake.clearScript();
  h.fake.forget(failed.falRequestId!);
  h.key.value = null;
  h.engine.keyChanged();
  const statesBefore = h.queueStates.length;
  const queued = await h.engine.retry(id, { mode: 'download' });
  // The queue's rows learn it runs without a key (its place is not "Waiting for a FAL key").
  expect(queued).toMatchObject({ state: 'queued', keptLink: true });
  const done = await waitForJob(h.engine, id, ended, 20_000);

  expect(done.state).toBe('succeeded');
  expect(h.engine.library.get(done.modelId!)).not.toBeNull();
  expect(h.fake.requestsFor('result')).toHaveLength(resultGets);
  // Nothing waited for a key: the queue never said one was missing (the CLI ends its run on that).
  expect(h.queueStates.slice(statesBefore).map((s) => s.status)).not.toContain('no_key');
  expect(h.fake.submissions).toHaveLength(1);
}, 45_000);

it('with no key, a kept link that fails waits for a key (once, not in a loop) and FAL\'s answer is asked for when one comes', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended, 20_000);
  expect(failed.errorCode).toBe('result_download_failed');
  const resultGets = h.fake.requestsFor('result').length;

  // The kept link answers 404 (an expired object) until FAL is asked for a fresh answer, and no key is set.
  h.fake.clearScript();
  const fake = h.fake;
  fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb') && fake.requestsFor('result').length === resultGets, fault: { kind: 'expired' } });
  h.key.value = null;
  h.engine.keyChanged();
  await h.engine.retry(id, { mode: 'download' });
  const waiting = await waitForJob(h.engine, id, (job) => job.state === 'queued' && /FAL key/.test(job.message ?? ''), 20_000);
  expect(waiting.message).toMatch(/Waiting for a FAL key/);
  expect(waiting.keptLink).toBeUndefined();
  await waitForQueue(h.engine, (s) => s.status === 'no_key');
  const fileGets = h.fake.requestsFor('file').length;
  // Several scheduler polls later it still waits, and the link was not tried again.
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(h.engine.getJob(id)!.state).toBe('queued');
  expect(h.fake.requestsFor('file')).toHaveLength(fileGets);

  h.key.value = TEST_KEY;
  h.engine.keyChanged();
  const done = await waitForJob(h.engine, id, ended, 20_000);
  expect(done.state).toBe('succeeded');
  expect(h.fake.requestsFor('result').length).toBeGreaterThan(resultGets);
  expect(h.fake.submissions).toHaveLength(1);
}, 60_000);
