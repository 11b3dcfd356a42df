// requestPinned connects only to the addresses its resolver returns (the name itself is never
// resolved again) and a resolver's refusal is the request's error, with no connection made.
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestPinned } from '../../../src/core/library/pinned-request';

let server: Server;
let port = 0;
const seen: { host: string | undefined; url: string | undefined }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ host: req.headers.host, url: req.url });
    res.writeHead(req.url === '/empty' ? 204 : 200, { 'x-answer': 'yes' }).end(req.url === '/empty' ? undefined : 'body');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const signal = () => AbortSignal.timeout(5_000);

describe('requestPinned', () => {
  it("connects to the resolver's address for a name the system cannot resolve, sending the name as Host", async () => {
    seen.length = 0;
    const asked: string[] = [];
    const response = await requestPinned(new URL(`http://files.invalid:${port}/m.glb`), signal(), async (host) => (asked.push(host), ['127.0.0.1']));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(await response.text()).toBe('body');
    expect(asked).toEqual(['files.invalid']);
    expect(seen).toEqual([{ host: `files.invalid:${port}`, url: '/m.glb' }]);
  });

  it('answers a body-less status without a body', async () => {
    const response = await requestPinned(new URL(`http://files.invalid:${port}/empty`), signal(), async () => ['127.0.0.1']);
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("fails with the resolver's own error and connects nowhere", async () => {
    seen.length = 0;
    const refusal = new Error('this address is not used');
    const failure = await requestPinned(new URL(`http://files.invalid:${port}/m.glb`), signal(), () => Promise.reject(refusal)).catch((e: unknown) => e);
    expect(failure).toBe(refusal);
    expect(seen).toEqual([]);
  });

  it('takes an answer whose reason phrase holds control characters, as fetch does (the characters dropped)', async () => {
    // Node's server will not write such a line; a raw one does.
    const raw = createTcpServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 O\x01K\x1b[0m\r\ncontent-length: 4\r\nconnection: close\r\n\r\nglTF')));
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const response = await requestPinned(new URL(`http://files.invalid:${(raw.address() as AddressInfo).port}/m.glb`), signal(), async () => ['127.0.0.1']);
      expect(response.status).toBe(200);
      expect(response.statusText).toBe('OK[0m');
      expect(await response.text()).toBe('glTF');
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });
});
