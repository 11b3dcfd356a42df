// Attack: with no FAL key, Download again fetches the model from the link kept with the job. If the
// connection drops for a few seconds while it does (a train, a flaky Wi-Fi), the link itself has not
// failed - yet the job was marked "the model's kept link did not work" and waited for a FAL key,
// for good: the connection came back and nothing happened; the user had no key to add.
import { afterEach, expect, it } from 'vitest';
import { addOne, createHarness, inState, waitForJob, type Harness } from '../core/engine/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ended = inState('succeeded', 'failed', 'needs_attention', 'canceled');

it('with no key, a kept link whose connection drops for a moment is tried again, not left waiting for a key', async () => {
  h = await createHarness();
  h.fake.script({ op: 'file', times: Infinity, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'infra', status: 503 } });
  const id = await addOne(h.engine);
  const failed = await waitForJob(h.engine, id, ended, 20_000);
  expect(failed.errorCode).toBe('result_download_failed');
  const resultGets = h.fake.requestsFor('result').length;

  // No key now; the model's link is fine, but the first connections to it are cut.
  h.fake.clearScript();
  h.fake.script({ op: 'file', times: 4, when: (ctx) => ctx.targetUrl.includes('.glb'), fault: { kind: 'reset' } });
  h.key.value = null;
  h.engine.keyChanged();
  await h.engine.retry(id, { mode: 'download' });
  const done = await waitForJob(h.engine, id, (job) => ended(job) || (job.state === 'queued' && /FAL key/.test(job.message ?? '')), 20_000);

  expect(done.message).not.toMatch(/FAL key/);
  expect(done.state).toBe('succeeded');
  expect(h.engine.library.get(done.modelId!)).not.toBeNull();
  expect(h.fake.requestsFor('result')).toHaveLength(resultGets);
  expect(h.fake.submissions).toHaveLength(1);
}, 45_000);
