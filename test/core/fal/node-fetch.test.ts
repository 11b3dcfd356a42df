// The FAL client's fetch over node:http (src/core/fal/node-fetch.ts): what the client relies on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../../src/core/fal/client';
import { ANSWER_TOO_LARGE, FalTransportError } from '../../../src/core/fal/errors';
import { MAX_ANSWER_BYTES, nodeFetch } from '../../../src/core/fal/node-fetch';

let server: Server;
let base = '';
const posts: string[] = [];
let releaseStream: (() => void) | null = null;

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readAll(req);
  if (req.url === '/echo') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], auth: req.headers.authorization, body: body.toString('base64') }));
  } else if (req.url === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {"status":"IN_PROGRESS"}\n\n');
    releaseStream = () => res.end('data: {"status":"COMPLETED"}\n\n');
  } else if (req.url === '/moved') {
    if (req.method === 'POST') posts.push(req.url);
    res.writeHead(307, { location: '/echo' }).end();
  } else if (req.url === '/gzip') {
    // No Accept-Encoding came, so any coding is acceptable (RFC 9110): a compressing proxy may gzip.
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync('{"request_id":"r-1"}'));
  } else if (req.url === '/gzip-twice') {
    // Two codings, applied in the order listed (a proxy gzipping an answer FAL gzipped already).
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip' }).end(gzipSync(gzipSync('{"request_id":"r-2"}')));
  } else if (req.url === '/gzip-then-br') {
    // The same, as two header lines.
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-encoding', ['gzip', 'br']);
    res.end(brotliCompressSync(gzipSync('{"request_id":"r-3"}')));
  } else if (req.url === '/raw-deflate') {
    // "deflate" without its zlib wrapper, as some servers send it (fetch takes both).
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' }).end(deflateRawSync('{"request_id":"r-4"}'));
  } else if (req.url === '/gzip-many') {
    // A hostile stack of codings: each one a decompressor in memory.
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': Array(6).fill('gzip').join(', ') }).end(Array(6).fill(0).reduce<Buffer>((b) => gzipSync(b), Buffer.from('{}')));
  } else if (req.url === '/huge' || req.url === '/huge-chunked') {
    // Past the answer cap, announced (Content-Length) or not (chunked): a broken or hostile server.
    const block = Buffer.alloc(1024 * 1024, 'a');
    res.writeHead(200, { 'content-type': 'application/json', ...(req.url === '/huge' && { 'content-length': String(17 * block.length) }) });
    res.on('error', () => undefined); // the reader hangs up early
    for (let i = 0; i < 17; i++) res.write(block);
    res.end();
  } else if (req.url === '/moved-huge') {
    res.writeHead(302, { location: '/huge-chunked' }).end();
  } else if (req.url === '/gzip-bomb') {
    // A few KiB on the wire, 17 MiB once decompressed.
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(17 * 1024 * 1024, ' ')));
  } else if (req.url === '/empty') {
    res.writeHead(204).end();
  } else {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"not here"}');
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  releaseStream?.();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeFetch', () => {
  it('sends the method, headers and a JSON or binary body, and answers like fetch', async () => {
    const json = await nodeFetch(`${base}/echo`, { method: 'post', headers: { Authorization: 'Key k', 'Content-Type': 'application/json' }, body: '{"a":1}' });
    expect(json.ok).toBe(true);
    const echoed = (await json.json()) as { method: string; type: string; auth: string; body: string };
    expect(echoed).toMatchObject({ method: 'POST', type: 'application/json', auth: 'Key k' });
    expect(Buffer.from(echoed.body, 'base64').toString()).toBe('{"a":1}');

    const blob = await nodeFetch(`${base}/echo`, { method: 'PUT', body: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }) });
    const fromBlob = (await blob.json()) as { type: string; body: string };
    expect(fromBlob.type).toBe('image/png');
    expect([...Buffer.from(fromBlob.body, 'base64')]).toEqual([1, 2, 3]);

    const missing = await nodeFetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(await missing.json()).toEqual({ detail: 'not here' });
    expect((await nodeFetch(`${base}/empty`)).status).toBe(204);
  });

  it('hands over a compressed answer decompressed, as fetch does', async () => {
    const answer = await nodeFetch(`${base}/gzip`, { method: 'POST', body: '{}' });
    expect(await answer.json()).toEqual({ request_id: 'r-1' });
  });

  it('undoes stacked codings and raw deflate as fetch does (a submit answered so keeps its request id)', async () => {
    for (const [path, id] of [['/gzip-twice', 'r-2'], ['/gzip-then-br', 'r-3'], ['/raw-deflate', 'r-4']] as const) {
      const answer = await nodeFetch(`${base}${path}`, { method: 'POST', body: '{}' });
      expect(await answer.json(), path).toEqual({ request_id: id });
    }
    // More than five codings: refused with a clear error, as fetch refuses them.
    await expect(nodeFetch(`${base}/gzip-many`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ message: expect.stringContaining('more than 5 content codings') });
  });

  it('refuses an answer over the cap, announced, chunked, compressed or after a redirect, with a clear error (not read into memory)', async () => {
    expect(MAX_ANSWER_BYTES).toBe(16 * 1024 * 1024);
    for (const [path, method] of [['/huge', 'POST'], ['/huge-chunked', 'POST'], ['/gzip-bomb', 'POST'], ['/moved-huge', 'GET']] as const) {
      await expect(nodeFetch(`${base}${path}`, { method, ...(method === 'POST' && { body: '{}' }) }), path).rejects.toMatchObject({
        code: ANSWER_TOO_LARGE,
        message: expect.stringContaining('larger than 16 MiB'),
      });
    }
    // Through the client's wrapper: a transport failure with that code (a submit stays uncertain, see classify).
    await expect(guardedFetch(nodeFetch, 5_000)(`${base}/huge-chunked`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      name: 'FalTransportError',
      netCode: ANSWER_TOO_LARGE,
    });
  });

  it('hands an event stream over as it arrives, and a cancel ends it', async () => {
    const controller = new AbortController();
    const response = await nodeFetch(`${base}/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    // The first event is readable while the server still holds the stream open.
    expect(new TextDecoder().decode(first.value)).toContain('IN_PROGRESS');
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
  });

  it('rejects with the abort reason when the caller cancels before the answer', async () => {
    const controller = new AbortController();
    const pending = nodeFetch(`${base}/events`, { signal: controller.signal }).then((r) => r.text());
    controller.abort(new Error('stop now'));
    await expect(pending).rejects.toThrow('stop now');
  });

  it('never sends a POST twice because of a redirect; a GET follows it', async () => {
    const post = await nodeFetch(`${base}/moved`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(307);
    expect(posts).toHaveLength(1);
    const get = await nodeFetch(`${base}/moved`);
    expect(get.status).toBe(200);
    expect(((await get.json()) as { method: string }).method).toBe('GET');
  });

  it('a GET redirected to another host does not carry the key there', async () => {
    const seen: (string | undefined)[] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const elsewhere = `http://localhost:${(other.address() as { port: number }).port}/result.json`;
    const away = createServer((_req, res) => res.writeHead(302, { location: elsewhere }).end());
    await new Promise<void>((resolve) => away.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await nodeFetch(`http://127.0.0.1:${(away.address() as { port: number }).port}/requests/1`, { headers: { Authorization: 'Key planted-secret' } });
      expect(answer.status).toBe(200);
      expect(seen).toEqual([undefined]);
    } finally {
      away.closeAllConnections();
      other.closeAllConnections();
      await Promise.all([new Promise((resolve) => away.close(resolve)), new Promise((resolve) => other.close(resolve))]);
    }
  });

  it('refuses a connection that cannot be made like fetch, with the system error code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(nodeFetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a 101 answer (a broken proxy) ends the call with an error instead of leaving it waiting past every timeout', async () => {
    // A server that answers any request with "101 Switching Protocols" and then keeps the socket open.
    const switching = createTcpServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: other\r\n\r\n'));
    });
    await new Promise<void>((resolve) => switching.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(switching.address() as { port: number }).port}/fal-ai/trellis`;
    const within = <T>(call: Promise<T>) =>
      Promise.race([call, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('still waiting after 3 s')), 3_000))]);
    try {
      // A submit must end (it may have left: the caller treats it as uncertain), as fetch ends it.
      await expect(within(nodeFetch(url, { method: 'POST', body: '{}' }))).rejects.toMatchObject({ code: 'EPROTO' });
      // Through the client's wrapper: a transport failure with its code, within the call's timeout.
      const guarded = within(guardedFetch(nodeFetch, 500)(url, { method: 'POST', body: '{}' }));
      await expect(guarded).rejects.toBeInstanceOf(FalTransportError);
      await expect(guarded).rejects.toMatchObject({ netCode: 'EPROTO' });
    } finally {
      await new Promise((resolve) => switching.close(resolve));
    }
  });
});
