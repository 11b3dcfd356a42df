import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadBytes } from '../../../src/core/library/files';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') return res.end(Buffer.from('0123456789'));
    if (req.url === '/big') {
      res.writeHead(200, { 'content-length': '100' });
      return res.end(Buffer.alloc(100));
    }
    if (req.url === '/chunked-big') {
      res.writeHead(200);
      res.write(Buffer.alloc(60));
      return res.end(Buffer.alloc(60));
    }
    if (req.url === '/gone') {
      res.writeHead(404);
      return res.end();
    }
    if (req.url === '/stall') {
      res.writeHead(200, { 'content-length': '100' });
      return res.write(Buffer.alloc(10));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// The test server is plain http on loopback: trusted like a local proxy or the fake FAL server.
const opts = { maxBytes: 50, timeoutMs: 2000, trustedOrigins: [] as string[] };
beforeAll(() => void opts.trustedOrigins.push(base));
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as DownloadError);

describe('downloadBytes', () => {
  it('returns the body', async () => {
    expect(new TextDecoder().decode(await downloadBytes(`${base}/ok`, opts))).toBe('0123456789');
  });

  it('refuses bodies over the cap, declared or streamed', async () => {
    expect(await failure(downloadBytes(`${base}/big`, opts))).toMatchObject({ name: 'DownloadError', code: 'too_large' });
    expect(await failure(downloadBytes(`${base}/chunked-big`, opts))).toMatchObject({ code: 'too_large' });
  });

  it('reports HTTP errors with their status (expired links)', async () => {
    expect(await failure(downloadBytes(`${base}/gone`, opts))).toMatchObject({ code: 'http_error', status: 404 });
  });

  it('times out a stalled body', async () => {
    expect(await failure(downloadBytes(`${base}/stall`, { ...opts, maxBytes: 1000, timeoutMs: 200 }))).toMatchObject({ code: 'timeout' });
  });

  it('reports the caller\'s abort as aborted', async () => {
    const controller = new AbortController();
    const pending = failure(downloadBytes(`${base}/stall`, { ...opts, maxBytes: 1000, signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ code: 'aborted' });
  });

  it('reports refused connections as network errors with their cause', async () => {
    const error = await failure(downloadBytes('http://127.0.0.1:1/x', { ...opts, trustedOrigins: ['http://127.0.0.1:1'] }));
    expect(error).toMatchObject({ code: 'network' });
  });
});
