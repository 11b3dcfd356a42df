// Result URLs come from FAL's answer, so from outside: the download policy (src/core/library/download.ts)
// refuses data:, file:, plain http and every loopback / private / link-local address (also after a
// redirect and after name resolution - checked again by the connection's own lookup, so a name that
// changes its answer cannot slip by), follows few redirects, and holds its size cap while the body
// streams to disk - memory stays small even for an endless body.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadBytes, downloadToTemp, isSpecialAddress, type DownloadOptions } from '../../src/core/library/download';
import { classifyError } from '../../src/core/fal/classify';

let dir = '';
let local: Server;
let localUrl = '';
let localHits: string[] = [];
let files: Server;
let filesUrl = '';

const MiB = 1024 * 1024;
/** Larger than what downloadToTemp holds in memory while a body streams (keepBytes). */
const LARGE_BYTES = 80 * MiB;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-download-policy-'));
  // A "local service" that must never be reached through a result URL.
  local = createServer((req, res) => {
    localHits.push(req.url ?? '');
    res.end('SECRET');
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
  // A trusted local file server (stands for the fake FAL server / a local proxy).
  files = createServer((req, res) => {
    if (req.url === '/model.glb') return res.end(Buffer.from('glTF-model-bytes'));
    if (req.url === '/to-local') return res.writeHead(302, { location: `${localUrl}/admin` }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/huge-declared') {
      res.writeHead(200, { 'content-length': String(10 ** 15) });
      return res.write(Buffer.alloc(1024));
    }
    if (req.url === '/large') {
      // LARGE_BYTES of a pattern that changes per chunk, so a misplaced chunk changes the hash.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < LARGE_BYTES / MiB; i++) res.write(Buffer.alloc(MiB, i % 251));
      return res.end();
    }
    if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const server of [local, files]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A CDN on the internet (stubbed): each path answers with a redirect or a body; names resolve via `dns`. */
function cdn(routes: Record<string, string | { body: string }>, dns: Record<string, string[]> = {}): Pick<DownloadOptions, 'fetch' | 'lookup'> {
  return {
    fetch: async (input, init) => {
      const url = new URL(String(input));
      if (url.hostname.endsWith('.example')) {
        const route = routes[url.pathname];
        if (route === undefined) return new Response('nope', { status: 404 });
        return typeof route === 'string' ? new Response(null, { status: 302, headers: { location: route } }) : new Response(route.body);
      }
      return fetch(input, init); // real network for anything else (the local listener)
    },
    lookup: async (host) => dns[host] ?? ['93.184.216.34'],
  };
}

const base = { maxBytes: MiB, timeoutMs: 5_000 };

async function refusal(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the download to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

describe('download policy', () => {
  it('downloads https from a public address, streamed to a temp file with its hash', async () => {
    const got = await downloadToTemp('https://cdn.example/m.glb', dir, { ...base, ...cdn({ '/m.glb': { body: 'model' } }) });
    expect(readFileSync(got.path, 'utf8')).toBe('model');
    expect(got).toMatchObject({ size: 5, sha256: createHash('sha256').update('model').digest('hex') });
    rmSync(got.path);
  });

  it('refuses a redirect to loopback, private and link-local addresses (never contacting them)', async () => {
    localHits = [];
    const targets = [
      `${localUrl}/admin`,
      'https://127.0.0.1/admin',
      'https://[::1]/admin',
      'https://[::ffff:127.0.0.1]/admin',
      'https://10.0.0.8/x',
      'https://192.168.1.1/router',
      'https://172.20.0.1/x',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fe80::1]/x',
      'https://[fd00::1]/x',
      'https://0.0.0.0/x',
      'https://rebind.example/x', // a public name that resolves to a private address
      'https://localhost/x',
    ];
    for (const target of targets) {
      const options = { ...base, ...cdn({ '/m.glb': target }, { 'rebind.example': ['10.1.2.3'], localhost: ['127.0.0.1', '::1'] }) };
      const error = await refusal(downloadBytes('https://cdn.example/m.glb', options));
      expect(error.code, target).toBe('refused');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/private network|only https/i);
    }
    expect(localHits).toEqual([]);
  });

  it('a name that answers a public address for the check and this computer when connecting (DNS rebinding) is refused, nothing connects', async () => {
    // Counts every TCP connection: TLS never gets far, a connection arriving at all is the failure.
    let connections = 0;
    const listener = createNetServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const port = (listener.address() as AddressInfo).port;
      // TTL 0: the first answer is public, every later one is this computer.
      let asked = 0;
      const lookup = async () => (asked++ === 0 ? ['93.184.216.34'] : ['127.0.0.1']);
      const error = await refusal(downloadBytes(`https://localhost:${port}/m.glb`, { ...base, lookup }));
      expect(error.code).toBe('refused');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('(127.0.0.1)');
      expect(connections).toBe(0);
      expect(asked).toBeGreaterThan(1); // the connection asked again, and what it got was checked
    } finally {
      listener.close();
    }
  });

  it('a trusted local origin (fake server, local proxy) may not redirect elsewhere on this computer', async () => {
    localHits = [];
    const error = await refusal(downloadBytes(`${filesUrl}/to-local`, { ...base, trustedOrigins: [filesUrl] }));
    expect(error.code).toBe('refused');
    expect(localHits).toEqual([]);
    // ...while its own files download fine.
    expect(Buffer.from(await downloadBytes(`${filesUrl}/model.glb`, { ...base, trustedOrigins: [filesUrl] })).toString()).toBe('glTF-model-bytes');
  });

  it('refuses plain http and loopback unless the origin is a trusted local one (never a remote one)', async () => {
    expect((await refusal(downloadBytes(`${filesUrl}/model.glb`, base))).code).toBe('refused');
    expect((await refusal(downloadBytes('http://cdn.example/m.glb', { ...base, ...cdn({}), trustedOrigins: ['http://cdn.example'] }))).code).toBe('refused');
  });

  it('refuses data: and file: with a clear message, and the job fails instead of retrying', async () => {
    for (const url of ['data:model/gltf-binary;base64,Z2xURg==', 'file:///etc/passwd', 'ftp://cdn.example/m.glb', 'javascript:alert(1)']) {
      const error = await refusal(downloadBytes(url, base));
      expect(error.code).toBe('refused');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`"${new URL(url).protocol}"`);
      expect(classifyError(error, 'download', Date.now())).toMatchObject({ kind: 'fail', code: 'result_refused' });
    }
  });

  it('stops after a few redirects', async () => {
    const error = await refusal(downloadBytes(`${filesUrl}/loop`, { ...base, trustedOrigins: [filesUrl] }));
    expect(error.code).toBe('too_many_redirects');
    expect(error.message).toMatch(/more than 5 times/);
  });

  it('refuses a huge Content-Length before reading, leaving no file', async () => {
    const target = join(dir, 'huge');
    const error = await refusal(downloadToTemp(`${filesUrl}/huge-declared`, target, { ...base, trustedOrigins: [filesUrl] }));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain(String(10 ** 15));
    expect(readdirSync(target)).toEqual([]);
  });

  it('cuts an endless body at the cap while streaming, with memory far below the cap', async () => {
    const target = join(dir, 'endless');
    const cap = 192 * MiB;
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - before)), 5);
    const error = await refusal(downloadToTemp(`${filesUrl}/endless`, target, { maxBytes: cap, timeoutMs: 60_000, trustedOrigins: [filesUrl] }));
    clearInterval(sampler);
    expect(error.code).toBe('too_large');
    expect(error.retryable).toBe(false);
    // Held in memory it would be over 192 MiB; streamed to disk, what is left is chunks awaiting GC.
    console.log(`endless body: peak arrayBuffers +${(peak / MiB).toFixed(1)} MiB for a ${cap / MiB} MiB cap`);
    expect(peak).toBeLessThan(64 * MiB);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
  }, 60_000);

  it('also with its bytes kept (a model, for its check): an endless body is cut at the cap with memory far below it', async () => {
    const target = join(dir, 'endless-kept');
    const cap = 192 * MiB;
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - before)), 5);
    const error = await refusal(downloadToTemp(`${filesUrl}/endless`, target, { maxBytes: cap, timeoutMs: 60_000, trustedOrigins: [filesUrl], keepBytes: true }));
    clearInterval(sampler);
    expect(error.code).toBe('too_large');
    console.log(`endless body, bytes kept: peak arrayBuffers +${(peak / MiB).toFixed(1)} MiB for a ${cap / MiB} MiB cap`);
    expect(peak).toBeLessThan(64 * MiB);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
  }, 60_000);

  it('hands back the whole body as bytes, equal to its file, also when it is larger than what is held while streaming', async () => {
    const target = join(dir, 'large-kept');
    const file = await downloadToTemp(`${filesUrl}/large`, target, { maxBytes: 256 * MiB, timeoutMs: 60_000, trustedOrigins: [filesUrl], keepBytes: true, syncLater: true });
    await file.synced;
    const onDisk = readFileSync(file.path);
    expect(file.size).toBe(LARGE_BYTES);
    expect(file.bytes?.byteLength).toBe(LARGE_BYTES);
    expect(Buffer.from(file.bytes!.buffer, file.bytes!.byteOffset, file.bytes!.byteLength).equals(onDisk)).toBe(true);
    expect(file.sha256).toBe(createHash('sha256').update(onDisk).digest('hex'));
    rmSync(file.path);
  }, 60_000);

  it('an endless body is also cut by the time limit', async () => {
    const error = await refusal(downloadBytes(`${filesUrl}/endless`, { maxBytes: 10 ** 12, timeoutMs: 300, trustedOrigins: [filesUrl] }));
    expect(error.code).toBe('timeout');
    expect(error.retryable).toBe(true);
  });

  it('knows the special address ranges', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '172.31.255.255', '192.168.0.1', '169.254.1.1', '100.64.0.1', '::1', '::', 'fe80::1', 'fc00::1', '::ffff:7f00:1', '::ffff:10.0.0.1', 'not-an-ip']) {
      expect(isSpecialAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '172.32.0.1']) expect(isSpecialAddress(address), address).toBe(false);
  });
});
