import { describe, expect, it } from 'vitest';
import { guardedFetch } from '../../../src/core/fal/client';
import { FalAlreadyCompletedError, FalHttpError, FalTransportError } from '../../../src/core/fal/errors';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('guardedFetch', () => {
  it('passes 2xx answers through with their body', async () => {
    const f = guardedFetch(async () => json(200, { ok: 1 }), 1000);
    const res = await f('https://queue.fal.run/a/b', { method: 'GET' });
    expect(await res.json()).toEqual({ ok: 1 });
  });

  it('turns non-2xx into FalHttpError with status, headers, parsed body and the target URL', async () => {
    const f = guardedFetch(async () => json(429, { detail: 'slow down' }, { 'Retry-After': '3' }), 1000);
    const error = await f('http://proxy.local/', { method: 'POST', headers: { 'x-fal-target-url': 'https://queue.fal.run/x/y' } }).catch((e) => e);
    expect(error).toBeInstanceOf(FalHttpError);
    expect(error).toMatchObject({ status: 429, body: { detail: 'slow down' }, targetUrl: 'https://queue.fal.run/x/y' });
    expect(error.headers['retry-after']).toBe('3');
  });

  it('turns transport failures into FalTransportError without a `code` the client would retry on', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    const f = guardedFetch(async () => Promise.reject(refused), 1000);
    const error = await f('https://rest.fal.ai/storage', {}).catch((e) => e);
    expect(error).toBeInstanceOf(FalTransportError);
    expect(error.netCode).toBe('ECONNREFUSED');
    expect('code' in error).toBe(false);
    expect(error.cause).toBeUndefined();
  });

  it('bounds each call with a timeout', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const error = await guardedFetch(hang, 50)('https://queue.fal.run/a/b', {}).catch((e) => e);
    expect(error).toBeInstanceOf(FalTransportError);
    expect(error.netCode).toBe('ETIMEDOUT');
  });

  it('leaves the caller\'s own abort as an AbortError', async () => {
    const controller = new AbortController();
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))),
      );
    const pending = guardedFetch(hang, 5000)('https://queue.fal.run/a/b', { signal: controller.signal }).catch((e) => e);
    controller.abort();
    expect((await pending).name).toBe('AbortError');
  });

  it('reports a cancel answered with ALREADY_COMPLETED, whatever its status code', async () => {
    const f = guardedFetch(async () => json(200, { status: 'ALREADY_COMPLETED' }), 1000);
    await expect(f('https://queue.fal.run/a/b/requests/1/cancel', { method: 'PUT' })).rejects.toBeInstanceOf(FalAlreadyCompletedError);
    const ok = guardedFetch(async () => json(202, { status: 'CANCELLATION_REQUESTED' }), 1000);
    expect((await ok('https://queue.fal.run/a/b/requests/1/cancel', { method: 'PUT' })).status).toBe(202);
  });

  it('does not buffer status streams (they stay open)', async () => {
    const body = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('data: {}\n\n')) }); // never closes
    const f = guardedFetch(async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }), 1000);
    const res = await Promise.race([
      f('https://queue.fal.run/a/b/requests/1/status/stream?logs=1', {}),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 500)),
    ]);
    // Handed over as it comes (each event capped on the way: event-stream-cap.ts), not read whole.
    expect(res).not.toBeNull();
    const first = await res!.body!.getReader().read();
    expect(new TextDecoder().decode(first.value)).toBe('data: {}\n\n');
  });
});
