// Attack: an answer nodeFetch hands over as a stream instead of reading it whole (it says
// `content-type: text/event-stream`, or it came from the real fetch) was read by guardedFetch with
// response.arrayBuffer() - no size cap at all, and for a status stream answered with an error status
// not even a time limit. A broken or hostile server (or proxy) could make the main process hold any
// amount of memory: a submit answered "200 text/event-stream" with an endless body, a status stream
// answered "503 text/event-stream" that never ends. The cap every other answer has
// (MAX_ANSWER_BYTES) must hold there too.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../src/core/fal/client';
import { ANSWER_TOO_LARGE, FalTransportError } from '../../src/core/fal/errors';
import { MAX_ANSWER_BYTES, nodeFetch } from '../../src/core/fal/node-fetch';

const MIB = 1024 * 1024;

/** A body of `total` bytes in 1 MiB chunks; `pulled()` says how many the reader took. */
function countedBody(total: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const chunk = new Uint8Array(MIB).fill(0x61);
  return {
    body: new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
    pulled: () => sent,
  };
}

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe('answers guardedFetch reads itself stay under the size cap', () => {
  it('a status stream answered with an error status and a huge body is not read past the cap', async () => {
    const { body, pulled } = countedBody(MAX_ANSWER_BYTES + 8 * MIB);
    const f = guardedFetch(async () => new Response(body, { status: 503, headers: { 'content-type': 'text/event-stream' } }), 60_000);
    const error = await f('https://queue.fal.run/a/b/requests/1/status/stream?logs=1', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FalTransportError);
    expect((error as FalTransportError).netCode).toBe(ANSWER_TOO_LARGE);
    expect(pulled()).toBeLessThanOrEqual(MAX_ANSWER_BYTES + 2 * MIB);
  });

  it('an answer from another fetch (the real fetch fallback) is capped too', async () => {
    const { body, pulled } = countedBody(MAX_ANSWER_BYTES + 8 * MIB);
    const f = guardedFetch(async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }), 60_000);
    const error = await f('https://queue.fal.run/a/b', { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FalTransportError);
    expect((error as FalTransportError).netCode).toBe(ANSWER_TOO_LARGE);
    expect(pulled()).toBeLessThanOrEqual(MAX_ANSWER_BYTES + 2 * MIB);
  });

  it('a submit answered "200 text/event-stream" over nodeFetch with a huge body: too large, not read whole', async () => {
    let written = 0;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = Buffer.alloc(MIB, 0x62);
      const more = () => {
        while (written < MAX_ANSWER_BYTES + 8 * MIB) {
          written += chunk.byteLength;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => undefined);
      more();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const f = guardedFetch(nodeFetch, 60_000);
    const error = await f(`http://127.0.0.1:${port}/tripo3d/tripo/v2.5/image-to-3d`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"image_url":"x"}',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FalTransportError);
    expect((error as FalTransportError).netCode).toBe(ANSWER_TOO_LARGE);
  });
});
