// A loopback HTTP server for the viewer harness and the model-viewer comparison page. Models are
// served from memory, so tests and benchmarks write nothing but the harness build.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.glb': 'model/gltf-binary',
};

/** Fixed files outside the harness build (the comparison page and its script, model-viewer itself). */
const EXTRA_FILES: Record<string, string> = {
  '/model-viewer.html': 'bench/viewer/model-viewer.html',
  '/bench-static/model-viewer-page.js': 'bench/viewer/model-viewer-page.js',
  '/bench-static/harness.css': 'bench/viewer/harness.css',
  '/vendor/model-viewer.min.js': 'node_modules/@google/model-viewer/dist/model-viewer.min.js',
};

export interface HarnessServer {
  origin: string;
  /** URL of the viewer harness page. */
  harnessUrl: string;
  /** URL of the <model-viewer> comparison page. */
  modelViewerUrl: string;
  /** URL of the minimal three.js page (present when the harness was built with `threePage`). */
  threePageUrl: string;
  /** Serves `bytes` at /models/<name> (after `delayMs`, to hold a load in flight) and returns its URL. */
  addModel(name: string, bytes: Uint8Array, options?: { delayMs?: number }): string;
  /** Paths requested so far (tests check that nothing unexpected was fetched). */
  requests: string[];
  close(): Promise<void>;
}

function sendFile(res: ServerResponse, path: string): void {
  res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(path).pipe(res);
}

export async function startHarnessServer(harnessDir: string): Promise<HarnessServer> {
  const root = resolve(harnessDir);
  const models = new Map<string, { bytes: Uint8Array; delayMs: number }>();
  const requests: string[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const model = path.startsWith('/models/') ? models.get(path.slice('/models/'.length)) : undefined;
    if (model) {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': MIME['.glb']!, 'content-length': model.bytes.byteLength, 'cache-control': 'no-store' });
        res.end(model.bytes);
      }, model.delayMs);
      return;
    }
    const extra = EXTRA_FILES[path];
    if (extra) return sendFile(res, resolve(extra));
    const file = normalize(join(root, path === '/' ? 'harness.html' : path));
    if (file.startsWith(root) && existsSync(file) && statSync(file).isFile()) return sendFile(res, file);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found');
  };

  const server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    harnessUrl: `${origin}/harness.html`,
    modelViewerUrl: `${origin}/model-viewer.html`,
    threePageUrl: `${origin}/three-page.html`,
    addModel: (name, bytes, options) => {
      models.set(name, { bytes, delayMs: options?.delayMs ?? 0 });
      return `${origin}/models/${encodeURIComponent(name)}`;
    },
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
