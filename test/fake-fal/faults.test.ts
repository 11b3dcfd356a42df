// Each scripted fault reaches the real @fal-ai/client 1.10.1 the way FAL's would: right status,
// body, headers, and the client's own retry behaviour (queue calls retry 429/502/503/504 three
// times, status also 500 five times; the upload PUT and cancel follow other rules).
// Tests run concurrently: several wait out the client's fixed 1 s first retry delay.
import { ApiError, ValidationError } from '@fal-ai/client';
import { describe, it, type TestContext } from 'vitest';
import { startFakeFal, type FakeFal, type FakeFalOptions } from './server';
import { download, glbErrors, realClient, IMAGE, rejectionOf, TRIPO } from './helpers';

async function fakeFal(ctx: TestContext, options: FakeFalOptions = {}): Promise<FakeFal> {
  const fake = await startFakeFal({ processingMs: 0, ...options });
  ctx.onTestFinished(() => fake.close());
  return fake;
}

/** Submit, wait for COMPLETED, and return the result's GLB URL. */
async function completedGlbUrl(fake: FakeFal, fal: ReturnType<typeof realClient>['fal']): Promise<string> {
  const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
  await fake.waitFor(requestId, 'COMPLETED');
  const { data } = await fal.queue.result(TRIPO, { requestId });
  return (data as { pbr_model: { url: string } }).pbr_model.url;
}

describe.concurrent('HTTP faults through the real client', () => {
  it('422 on submit arrives as a ValidationError with FAL field errors, not retried', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', fault: { kind: 'validation' } });
    const error = await rejectionOf(realClient(fake).fal.queue.submit(TRIPO, { input: { ...IMAGE, face_limit: 999_999 } }));
    ctx.expect(error).toBeInstanceOf(ValidationError);
    ctx.expect((error as ValidationError).fieldErrors[0]?.loc).toEqual(['body', 'face_limit']);
    ctx.expect((error as ValidationError).getFieldErrors('face_limit')).toHaveLength(1);
    ctx.expect(fake.requestsFor('submit')).toHaveLength(1);
    ctx.expect(fake.submissions).toHaveLength(0);
  });

  it('429 with Retry-After seconds: retried by the client until it gives up; the header is readable via fetch', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'initiate', times: 10, fault: { kind: 'rateLimit', retryAfter: 7 } });
    const { fal, seen } = realClient(fake);
    const error = await rejectionOf(fal.storage.upload(new Blob(['x'], { type: 'image/png' })));
    ctx.expect(error).toBeInstanceOf(ApiError);
    ctx.expect(error).toMatchObject({ status: 429, body: { detail: ctx.expect.any(String) } });
    ctx.expect(fake.requestsFor('initiate').map((r) => r.outcome)).toEqual([429, 429, 429, 429]);
    ctx.expect(seen[0]?.headers.get('retry-after')).toBe('7');
  });

  it('429 with an HTTP-date Retry-After, once: the submit succeeds on the client retry', async (ctx) => {
    const fake = await fakeFal(ctx);
    const until = new Date(Date.now() + 30_000);
    fake.script({ op: 'submit', fault: { kind: 'rateLimit', retryAfter: until } });
    const { fal, seen } = realClient(fake);
    await fal.queue.submit(TRIPO, { input: IMAGE });
    ctx.expect(fake.requestsFor('submit').map((r) => r.outcome)).toEqual([429, 200]);
    ctx.expect(seen[0]?.headers.get('retry-after')).toBe(until.toUTCString());
    ctx.expect(fake.submissions).toHaveLength(1);
  });

  it('429 without Retry-After on status', async (ctx) => {
    const fake = await fakeFal(ctx);
    const { fal, seen } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    fake.script({ op: 'status', fault: { kind: 'rateLimit' } });
    await fal.queue.status(TRIPO, { requestId });
    const limited = seen.find((s) => s.status === 429);
    ctx.expect(limited?.headers.get('retry-after')).toBeNull();
    ctx.expect(fake.requestsFor('status').map((r) => r.outcome)).toEqual([429, ctx.expect.any(Number)]);
  });

  it('503 infra error on every submit try: FAL body and X-Fal-Error-Type, nothing accepted', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', times: Infinity, fault: { kind: 'infra', status: 503 } });
    const { fal, seen } = realClient(fake);
    const error = await rejectionOf(fal.queue.submit(TRIPO, { input: IMAGE }));
    ctx.expect(error).toMatchObject({ status: 503, body: { error_type: 'runner_scheduling_failure', detail: ctx.expect.any(String) } });
    ctx.expect(seen[0]?.headers.get('x-fal-error-type')).toBe('runner_scheduling_failure');
    ctx.expect(fake.requestsFor('submit')).toHaveLength(4);
    ctx.expect(fake.submissions).toHaveLength(0);
  });

  it('500 on submit is not retried, 500 on status is', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', fault: { kind: 'infra', status: 500 } }, { op: 'status', fault: { kind: 'infra', status: 500 } });
    const { fal } = realClient(fake);
    const error = await rejectionOf(fal.queue.submit(TRIPO, { input: IMAGE }));
    ctx.expect(error).toMatchObject({ status: 500, body: { error_type: 'runner_server_error' } });
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    await fal.queue.status(TRIPO, { requestId });
    ctx.expect(fake.requestsFor('status').map((r) => r.outcome)[0]).toBe(500);
    ctx.expect(fake.requestsFor('status')).toHaveLength(2);
  });

  it('502 on result is retried; a user-timeout 504 is not', async (ctx) => {
    const fake = await fakeFal(ctx);
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    await fake.waitFor(requestId, 'COMPLETED');
    fake.script({ op: 'result', fault: { kind: 'infra', status: 502 } });
    await fal.queue.result(TRIPO, { requestId });
    ctx.expect(fake.requestsFor('result').map((r) => r.outcome)).toEqual([502, 200]);

    fake.script({ op: 'result', fault: { kind: 'infra', status: 504, timeoutType: 'user' } });
    const error = await rejectionOf(fal.queue.result(TRIPO, { requestId }));
    ctx.expect(error).toMatchObject({ status: 504, timeoutType: 'user', isUserTimeout: true, body: { error_type: 'request_timeout' } });
    ctx.expect(fake.requestsFor('result')).toHaveLength(3);
  });

  it('401 and 403 reach the client with FAL detail text', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'status', fault: { kind: 'auth', status: 403 } }, { op: 'cancel', fault: { kind: 'auth' } });
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    const locked = await rejectionOf(fal.queue.status(TRIPO, { requestId }));
    ctx.expect(locked).toMatchObject({ status: 403, body: { detail: ctx.expect.stringContaining('balance') } });
    ctx.expect(await rejectionOf(fal.queue.cancel(TRIPO, { requestId }))).toMatchObject({ status: 401 });
  });

  it('connection reset before handling: the client retries and one job is accepted', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', fault: { kind: 'reset' } });
    await realClient(fake).fal.queue.submit(TRIPO, { input: IMAGE });
    ctx.expect(fake.requestsFor('submit').map((r) => r.outcome)).toEqual(['reset', 200]);
    ctx.expect(fake.submissions).toHaveLength(1);
  });

  it('connection reset after the submit was accepted: every retry creates another paid job', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', times: Infinity, fault: { kind: 'reset', afterHandling: true } });
    const error = await rejectionOf(realClient(fake).fal.queue.submit(TRIPO, { input: { image_url: 'https://example.com/a.png' } }));
    ctx.expect(error).toBeInstanceOf(TypeError); // undici's "fetch failed"
    ctx.expect(fake.submissions).toHaveLength(4);
    ctx.expect(fake.submissionsFor(fake.submissions[0]?.inputKey ?? '')).toBe(4);
  });

  it('a reset upload PUT is not retried by the client', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'upload', fault: { kind: 'reset' } });
    const error = await rejectionOf(realClient(fake).fal.storage.upload(new Blob(['abc'], { type: 'image/png' })));
    ctx.expect(error).toBeInstanceOf(TypeError);
    ctx.expect(fake.requestsFor('upload')).toHaveLength(1);
  });

  it('a hanging status never answers; the caller must time out; close() still finishes', async (ctx) => {
    const fake = await startFakeFal({ processingMs: 0 });
    fake.script({ op: 'status', fault: { kind: 'hang' } }, { op: 'file', fault: { kind: 'hang' } });
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    const error = await rejectionOf(fal.queue.status(TRIPO, { requestId, abortSignal: AbortSignal.timeout(150) }));
    ctx.expect((error as Error).name).toBe('TimeoutError');
    ctx.expect(fake.requestsFor('status').map((r) => r.outcome)).toEqual(['hang']);
    // A download left hanging (no client timeout) is cut when the server closes.
    const url = `${fake.url}/files/whatever/model.glb`;
    const pending = fetch(url).then((r) => r.arrayBuffer());
    await ctx.expect.poll(() => fake.requestsFor('file').length).toBe(1);
    await fake.close();
    ctx.expect(await rejectionOf(pending)).toBeInstanceOf(TypeError);
  });

  it('latency rules delay the answer', async (ctx) => {
    const fake = await fakeFal(ctx);
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    fake.script({ op: 'status', delayMs: 60_000 });
    // Given up only once the fake has the call (and so has used the one-time rule): a timer alone
    // could fire before a busy machine delivered it, and the rule would then delay the next call.
    const abort = new AbortController();
    const slowCall = rejectionOf(fal.queue.status(TRIPO, { requestId, abortSignal: abort.signal }));
    while (fake.requestsFor('status').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    abort.abort(new DOMException('gave up', 'TimeoutError'));
    const slow = await slowCall;
    ctx.expect((slow as Error).name).toBe('TimeoutError');
    await ctx.expect(fal.queue.status(TRIPO, { requestId })).resolves.toMatchObject({ request_id: requestId });
  });

  it('a status stream that fails with 503 rejects done() without retrying', async (ctx) => {
    const fake = await fakeFal(ctx, { holdJobs: true });
    fake.script({ op: 'stream', fault: { kind: 'infra', status: 503 } });
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    const stream = await fal.queue.streamStatus(TRIPO, { requestId });
    ctx.expect(await rejectionOf(stream.done())).toMatchObject({ status: 503 });
    ctx.expect(fake.requestsFor('stream')).toHaveLength(1);
  });

  it('rules can be limited to an endpoint or a request id', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', endpoint: 'fal-ai/trellis', fault: { kind: 'auth', status: 403 } });
    const { fal } = realClient(fake);
    await fal.queue.submit(TRIPO, { input: IMAGE });
    ctx.expect(fake.pendingRules()).toHaveLength(1);
    ctx.expect(await rejectionOf(fal.queue.submit('fal-ai/trellis', { input: IMAGE }))).toMatchObject({ status: 403 });
    ctx.expect(fake.pendingRules()).toHaveLength(0);

    const { request_id: a } = await fal.queue.submit(TRIPO, { input: IMAGE });
    const { request_id: b } = await fal.queue.submit(TRIPO, { input: IMAGE });
    // An `<owner>/<alias>` status call matches a rule written with the full endpoint id.
    fake.script({ op: 'status', endpoint: TRIPO, requestId: b, fault: { kind: 'http', status: 418, body: { detail: 'teapot' } } });
    await fal.queue.status(TRIPO, { requestId: a });
    ctx.expect(await rejectionOf(fal.queue.status(TRIPO, { requestId: b }))).toMatchObject({ status: 418, body: { detail: 'teapot' } });
  });
});

describe.concurrent('job outcomes and file faults', () => {
  it('failed run (500): COMPLETED with error fields, then the result GET fails, unbilled', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', outcome: { kind: 'failedRun' } });
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    await fake.waitFor(requestId, 'COMPLETED');
    const status = await fal.queue.status(TRIPO, { requestId });
    ctx.expect(status).toMatchObject({ status: 'COMPLETED', error: ctx.expect.any(String), error_type: 'runner_server_error' });
    const error = await rejectionOf(fal.queue.result(TRIPO, { requestId }));
    ctx.expect(error).toMatchObject({ status: 500, body: { detail: ctx.expect.any(String), error_type: 'runner_server_error' } });
    ctx.expect(fake.requestsFor('result')).toHaveLength(1);
    ctx.expect(fake.job(requestId)?.billed).toBe(false);
  });

  it('failed run (422): the result GET answers a ValidationError with FAL detail[]', async (ctx) => {
    const fake = await fakeFal(ctx);
    const detail = [{ loc: ['body', 'image_url'], msg: 'Could not load image', type: 'file_download_error' }];
    fake.script({ op: 'submit', outcome: { kind: 'failedRun', status: 422, detail } });
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    await fake.waitFor(requestId, 'COMPLETED');
    const error = await rejectionOf(fal.queue.result(TRIPO, { requestId }));
    ctx.expect(error).toBeInstanceOf(ValidationError);
    ctx.expect((error as ValidationError).fieldErrors).toEqual(detail);
    ctx.expect(fake.job(requestId)?.billed).toBe(true);
  });

  it('truncated GLB: honest short file that fails validation', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', outcome: { kind: 'truncatedGlb', bytes: 1000 } });
    const glb = await download(await completedGlbUrl(fake, realClient(fake).fal));
    ctx.expect(glb.bytes.length).toBe(1000);
    const declared = new DataView(glb.bytes.buffer, glb.bytes.byteOffset).getUint32(8, true);
    ctx.expect(declared).toBeGreaterThan(1000);
    ctx.expect(await glbErrors(glb.bytes)).toBeGreaterThan(0);
  });

  it('non-GLB result bytes', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', outcome: { kind: 'notGlb' } });
    const glb = await download(await completedGlbUrl(fake, realClient(fake).fal));
    ctx.expect(glb.status).toBe(200);
    ctx.expect(glb.contentType).toBe('model/gltf-binary');
    ctx.expect(Buffer.from(glb.bytes.subarray(0, 4)).toString('latin1')).not.toBe('glTF');
  });

  it('expired result files answer 404', async (ctx) => {
    const fake = await fakeFal(ctx);
    fake.script({ op: 'submit', outcome: { kind: 'expiredFiles' } });
    ctx.expect((await download(await completedGlbUrl(fake, realClient(fake).fal))).status).toBe(404);
  });

  it('per-download file faults: 404 once, cut mid-body, then fine; Range requests work', async (ctx) => {
    const fake = await fakeFal(ctx);
    const url = await completedGlbUrl(fake, realClient(fake).fal);
    fake.script({ op: 'file', fault: { kind: 'expired' } }, { op: 'file', fault: { kind: 'truncate', abort: true } });
    ctx.expect((await download(url)).status).toBe(404);
    ctx.expect(await rejectionOf(download(url))).toBeInstanceOf(TypeError);
    const full = await download(url);
    ctx.expect(await glbErrors(full.bytes)).toBe(0);
    const tail = await fetch(url, { headers: { range: 'bytes=100-' } });
    ctx.expect(tail.status).toBe(206);
    ctx.expect(new Uint8Array(await tail.arrayBuffer())).toEqual(full.bytes.subarray(100));
  });

  it('a forgotten request answers 404 everywhere (status, stream, result) and NOT_FOUND on cancel', async (ctx) => {
    const fake = await fakeFal(ctx, { holdJobs: true });
    const { fal } = realClient(fake);
    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    fake.script({ op: 'status', fault: { kind: 'forget' } });
    ctx.expect(await rejectionOf(fal.queue.status(TRIPO, { requestId }))).toMatchObject({ status: 404, requestId });
    const stream = await fal.queue.streamStatus(TRIPO, { requestId });
    ctx.expect(await rejectionOf(stream.done())).toMatchObject({ status: 404 });
    ctx.expect(await rejectionOf(fal.queue.result(TRIPO, { requestId }))).toMatchObject({ status: 404 });
    ctx.expect(await rejectionOf(fal.queue.cancel(TRIPO, { requestId }))).toMatchObject({ body: { status: 'NOT_FOUND' } });
    ctx.expect(fake.submissions).toHaveLength(1);
  });

  it('a request forgotten right after submit, and forget() during an open stream', async (ctx) => {
    const fake = await fakeFal(ctx, { holdJobs: true });
    fake.script({ op: 'submit', outcome: { kind: 'forgotten' } });
    const { fal } = realClient(fake);
    const { request_id: lost } = await fal.queue.submit(TRIPO, { input: IMAGE });
    ctx.expect(await rejectionOf(fal.queue.status(TRIPO, { requestId: lost }))).toMatchObject({ status: 404 });

    const { request_id: requestId } = await fal.queue.submit(TRIPO, { input: IMAGE });
    const stream = await fal.queue.streamStatus(TRIPO, { requestId });
    stream.on('data', () => fake.forget(requestId));
    // The server ends the stream without a COMPLETED event.
    ctx.expect((await stream.done()).status).not.toBe('COMPLETED');
  });
});
