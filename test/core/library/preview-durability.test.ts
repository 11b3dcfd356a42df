// A model is paid for: its file and the folder entry that names it are on disk before the library
// commit. A preview is not worth a wait for the disk (a card without one shows the source photo), and
// those waits share the thread pool with the models' own: a preview is stored without an fsync, and
// a preview left short by a power cut is replaced by the next identical download, not kept.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const fsyncs = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const fsync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    fsyncs.count++;
    real.fsync(fd, callback);
  };
  return { ...real, fsync, default: { ...real, fsync } };
});

const { adoptByContentHash } = await import('../../../src/core/library/content-store');
const { downloadToTemp } = await import('../../../src/core/library/download');
const { startServer, withTempDir } = await import('./helpers');

const BODY = new Uint8Array(2000).map((_, i) => (i * 7) % 256);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-length': BODY.byteLength });
    res.end(BODY);
  });
});
afterAll(() => server.close());
beforeEach(() => void (fsyncs.count = 0));

const limits = () => ({ maxBytes: 10_000, timeoutMs: 5_000, trustedOrigins: [server.url] });

describe('what waits for the disk when a download is stored', () => {
  it('a model: its file and its folder are synced', async () => {
    await withTempDir(async (dir) => {
      const temp = await downloadToTemp(`${server.url}/model.glb`, dir, limits());
      const stored = await adoptByContentHash(dir, temp, 'glb');
      expect(readFileSync(stored.path)).toEqual(Buffer.from(BODY));
      expect(fsyncs.count).toBe(2);
    });
  });

  it('a preview: stored whole, with no fsync', async () => {
    await withTempDir(async (dir) => {
      const temp = await downloadToTemp(`${server.url}/preview.png`, dir, { ...limits(), durable: false });
      const stored = await adoptByContentHash(dir, temp, 'png', false);
      expect(readFileSync(stored.path)).toEqual(Buffer.from(BODY));
      expect(fsyncs.count).toBe(0);
    });
  });

  it('a preview a power cut left short is replaced by the next identical one', async () => {
    await withTempDir(async (dir) => {
      const hash = sha256(BODY);
      mkdirSync(join(dir, hash.slice(0, 2)));
      const place = join(dir, hash.slice(0, 2), `${hash}.png`);
      writeFileSync(place, BODY.subarray(0, 100));
      const temp = await downloadToTemp(`${server.url}/preview.png`, dir, { ...limits(), durable: false });
      const stored = await adoptByContentHash(dir, temp, 'png', false);
      expect(stored).toMatchObject({ path: place, existed: false });
      expect(readFileSync(place)).toEqual(Buffer.from(BODY));
    });
  });
});
