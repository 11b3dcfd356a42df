// A paid result is precious: a GLB link that fails at first (CDN lag, expired link) is retried and the
// result fetched again - never a second submit; when it never works the job offers a free "Download
// again", which succeeds once the file is back; "Generate again" asks first.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { startFakeFal } from '../../fake-fal/server';
import { addOne, createHarness, inState, waitForJob, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('model downloads that fail', () => {
  it('a GLB link that fails at first and then works yields the model, with one submission', async () => {
    h = await createHarness();
    h.fake.script({ op: 'file', fault: { kind: 'expired' }, times: 2 });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'succeeded' });
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a link that never works: failed with Download again offered; it succeeds once the file is back, for free', async () => {
    h = await createHarness();
    h.fake.script({ op: 'file', fault: { kind: 'expired' }, times: Infinity });
    const id = await addOne(h.engine);
    const failed = await waitForJob(h.engine, id, inState('failed', 'succeeded', 'needs_attention'), 20_000);
    expect(failed).toMatchObject({ state: 'failed', errorCode: 'result_download_failed' });
    expect(failed.falRequestId).not.toBeNull();
    expect(failed.errorMessage).toMatch(/Download again/);
    // The result was fetched again for a fresh link before giving up.
    expect(h.fake.requestsFor('result').length).toBeGreaterThanOrEqual(2);

    // Generate again is paid: it asks first.
    await expect(h.engine.retry(id, { mode: 'generate' })).rejects.toMatchObject({ code: 'confirmation_required' });

    h.fake.clearScript();
    await h.engine.retry(id, { mode: 'download' });
    const done = await waitForJob(h.engine, id, inState('succeeded', 'failed'));
    expect(done.state).toBe('succeeded');
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('a link the download policy refuses fails at once as result_refused, never retried', async () => {
    // FAL is reached as localhost, so the result's plain-http 127.0.0.1 link is not a trusted origin.
    const fake = await startFakeFal({ processingMs: 60 });
    onTestFinished(() => fake.close());
    h = await createHarness({ fakeInstance: fake, engine: { falProxyUrl: fake.url.replace('127.0.0.1', 'localhost') } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)).toMatchObject({ state: 'failed', errorCode: 'result_refused' });
    expect(h.fake.requestsFor('result')).toHaveLength(1);
    expect(h.fake.requestsFor('file')).toHaveLength(0);
    expect(h.fake.submissions).toHaveLength(1);
  });

  it('Download again is refused for a job FAL has no result for', async () => {
    h = await createHarness();
    h.fake.script({ op: 'submit', fault: { kind: 'validation' } });
    const id = await addOne(h.engine);
    await h.engine.waitForIdle();
    expect(h.engine.getJob(id)!.state).toBe('failed');
    await expect(h.engine.retry(id, { mode: 'download' })).rejects.toMatchObject({ code: 'conflict' });
  });
});
