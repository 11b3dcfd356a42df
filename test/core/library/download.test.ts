import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadToFile } from '../../../src/core/library/files';
import { startServer, withTempDir, type TestServer } from './helpers';

const BODY = new Uint8Array(3000).map((_, i) => (i * 31) % 256);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/model.glb':
        res.writeHead(200, { 'content-type': 'model/gltf-binary', 'content-length': BODY.byteLength });
        res.end(BODY);
        return;
      case '/declared-big':
        res.writeHead(200, { 'content-length': 50_000 });
        res.end(Buffer.alloc(50_000));
        return;
      case '/undeclared-big': {
        // Chunked, no Content-Length: only counting the streamed bytes can catch it.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        let sent = 0;
        const pump = () => {
          if (sent >= 200_000 || res.destroyed) return res.end();
          sent += 1000;
          res.write(Buffer.alloc(1000), () => setImmediate(pump));
        };
        pump();
        return;
      }
      case '/stall-body':
        res.writeHead(200, { 'content-length': 10_000 });
        res.write(Buffer.alloc(100)); // then nothing, forever
        return;
      case '/stall-headers':
        return; // never answers
      case '/gone':
        res.writeHead(404, 'Not Found');
        res.end('no such file');
        return;
      default:
        res.writeHead(500);
        res.end();
    }
  });
});
afterAll(() => server.close());

async function expectDownloadError(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the download to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

// The test server is plain http on loopback: trusted like a local proxy or the fake FAL server.
const limits = { maxBytes: 10_000, timeoutMs: 5_000, trustedOrigins: [] as string[] };
beforeAll(() => void limits.trustedOrigins.push(server.url));

describe('downloadToFile', () => {
  it('downloads into destDir under the content hash and returns path, hash and bytes', () =>
    withTempDir(async (dir) => {
      const result = await downloadToFile(`${server.url}/model.glb`, dir, limits);
      expect(result.sha256).toBe(sha256(BODY));
      expect(result.path).toBe(join(dir, `${sha256(BODY)}.glb`));
      expect(result.size).toBe(BODY.byteLength);
      expect(new Uint8Array(await readFile(result.path))).toEqual(BODY);
      expect(await readdir(dir)).toEqual([`${sha256(BODY)}.glb`]);
    }));

  it('refuses up front when Content-Length exceeds the cap', () =>
    withTempDir(async (dir) => {
      const error = await expectDownloadError(downloadToFile(`${server.url}/declared-big`, dir, limits));
      expect(error.code).toBe('too_large');
      expect(error.message).toMatch(/50000 bytes/);
      expect(await readdir(dir)).toEqual([]);
    }));

  it('aborts a streamed body once it passes the cap', () =>
    withTempDir(async (dir) => {
      const error = await expectDownloadError(downloadToFile(`${server.url}/undeclared-big`, dir, limits));
      expect(error.code).toBe('too_large');
      expect(await readdir(dir)).toEqual([]);
    }));

  it('times out when the body stops arriving', () =>
    withTempDir(async (dir) => {
      const error = await expectDownloadError(downloadToFile(`${server.url}/stall-body`, dir, { ...limits, timeoutMs: 300 }));
      expect(error.code).toBe('timeout');
      expect(await readdir(dir)).toEqual([]);
    }));

  it('times out when no response comes at all', () =>
    withTempDir(async (dir) => {
      const error = await expectDownloadError(downloadToFile(`${server.url}/stall-headers`, dir, { ...limits, timeoutMs: 300 }));
      expect(error.code).toBe('timeout');
    }));

  it('reports an HTTP error with its status', () =>
    withTempDir(async (dir) => {
      const error = await expectDownloadError(downloadToFile(`${server.url}/gone`, dir, limits));
      expect(error.code).toBe('http_error');
      expect(error.status).toBe(404);
      expect(await readdir(dir)).toEqual([]);
    }));

  it('reports a refused connection as a network error', () =>
    withTempDir(async (dir) => {
      // A port that was free a moment ago and is closed now.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const error = await expectDownloadError(downloadToFile(`http://127.0.0.1:${port}/x.glb`, dir, { ...limits, trustedOrigins: [`http://127.0.0.1:${port}`] }));
      expect(error.code).toBe('network');
    }));

  it("stops with 'aborted' when the caller cancels", () =>
    withTempDir(async (dir) => {
      const controller = new AbortController();
      const pending = downloadToFile(`${server.url}/stall-body`, dir, { ...limits, signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const error = await expectDownloadError(pending);
      expect(error.code).toBe('aborted');

      const already = new AbortController();
      already.abort();
      const early = await expectDownloadError(downloadToFile(`${server.url}/model.glb`, dir, { ...limits, signal: already.signal }));
      expect(early.code).toBe('aborted');
      expect(await readdir(dir)).toEqual([]);
    }));

  it('uses the injected fetch', () =>
    withTempDir(async (dir) => {
      const seen: string[] = [];
      const fakeFetch: typeof fetch = async (input) => {
        seen.push(String(input));
        return new Response(new Uint8Array([1, 2, 3]), { status: 200 });
      };
      const result = await downloadToFile('https://fal.example/files/out', dir, { ...limits, fetch: fakeFetch, lookup: async () => ['93.184.216.34'] });
      expect(seen).toEqual(['https://fal.example/files/out']);
      expect(result.size).toBe(3);
      expect(result.path).toBe(join(dir, `${sha256(new Uint8Array([1, 2, 3]))}.bin`));
    }));
});
