// Attack on downloads that make their temp file while the request is on its way (library/download.ts
// downloadToTemp): every way a request can fail must leave neither the temp file nor an open
// descriptor on it behind.
import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadToTemp, type DownloadOptions } from '../../src/core/library/download';
import { startServer, withTempDir, type TestServer } from '../core/library/helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/forbidden':
        res.writeHead(403).end('no');
        return;
      case '/to-private':
        res.writeHead(302, { location: 'http://10.0.0.1/m.glb' }).end();
        return;
      case '/to-untrusted-loopback':
        res.writeHead(302, { location: 'http://127.0.0.2:9/m.glb' }).end();
        return;
      case '/no-answer':
        return; // headers never come
      case '/stall':
        res.writeHead(200, { 'content-length': 10_000 });
        res.write(Buffer.alloc(100));
        return;
      case '/cut':
        res.writeHead(200, { 'content-length': 10_000 });
        res.write(Buffer.alloc(100), () => res.destroy());
        return;
      default:
        res.writeHead(404).end();
    }
  });
});
afterAll(() => server.close());

/** Descriptors this process holds on files under `dir`. */
function openUnder(dir: string): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) out.push(target);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

const failures: [string, (base: DownloadOptions) => { url: string; opts: DownloadOptions }][] = [
  ['403', (base) => ({ url: `${server.url}/forbidden`, opts: base })],
  ['a name that resolves to a private address', (base) => ({ url: 'https://cdn.example/m.glb', opts: { ...base, lookup: async () => ['10.1.2.3'] } })],
  ['a name that does not resolve', (base) => ({ url: 'https://cdn.example/m.glb', opts: { ...base, lookup: async () => Promise.reject(new Error('ENOTFOUND cdn.example')) } })],
  ['a redirect to a private address', (base) => ({ url: `${server.url}/to-private`, opts: base })],
  ['a redirect to an untrusted loopback port', (base) => ({ url: `${server.url}/to-untrusted-loopback`, opts: base })],
  ['no answer until the time limit', (base) => ({ url: `${server.url}/no-answer`, opts: { ...base, timeoutMs: 300 } })],
  ['a body that stalls until the time limit', (base) => ({ url: `${server.url}/stall`, opts: { ...base, timeoutMs: 300 } })],
  ['a body cut off', (base) => ({ url: `${server.url}/cut`, opts: base })],
  ['an abort before the answer', (base) => ({ url: `${server.url}/no-answer`, opts: { ...base, signal: AbortSignal.timeout(200) } })],
  ['an abort already given', (base) => ({ url: `${server.url}/no-answer`, opts: { ...base, signal: AbortSignal.abort() } })],
];

describe('a failed download leaves no temp file and no open descriptor', () => {
  for (const [name, make] of failures) {
    for (const keepBytes of [false, true]) {
      it(`${name}${keepBytes ? ' (bytes kept)' : ''}`, async () => {
        await withTempDir(async (dir) => {
          const { url, opts } = make({ maxBytes: 1_000_000, timeoutMs: 10_000, trustedOrigins: [server.url], keepBytes, keepFreshMs: 20 });
          await expect(downloadToTemp(url, dir, opts)).rejects.toBeInstanceOf(DownloadError);
          expect(readdirSync(dir)).toEqual([]);
          expect(openUnder(dir)).toEqual([]);
          // The keep-young timer is stopped: nothing comes back later.
          await new Promise((resolve) => setTimeout(resolve, 60));
          expect(readdirSync(dir)).toEqual([]);
        });
      });
    }
  }
});
