// i2m://library/<kind>/<id>: ids in, files out; anything else is a 404 and never reads a file.
// app://renderer/<file>: only files inside the built renderer folder, the page with its CSP header.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveFileRoute } from '../../src/core/file-routes';
import type { EngineApi } from '../../src/core/services-types';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule());

const { respondToLibraryRequest, respondToRendererRequest, FILE_BASE_URL, RENDERER_CSP, RENDERER_ORIGIN, RENDERER_URL } = await import('../../src/main/protocol');

let dir: string;
let resolve: (route: string) => ReturnType<typeof resolveFileRoute>;
const asked: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'i2m-protocol-'));
  writeFileSync(join(dir, 'model-1.glb'), Buffer.from('glTF-bytes'));
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  // Only the library knows paths; the engine stub maps one id to one file.
  const engine = {
    library: {
      filePath: (id: string) => (asked.push(id), id === 'model-1' ? join(dir, 'model-1.glb') : id === 'gone' ? join(dir, 'gone.glb') : null),
      previewPath: () => null,
    },
    inputPath: () => null,
  } as unknown as EngineApi;
  resolve = (route) => resolveFileRoute(engine, route);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => respondToLibraryRequest({ url, method }, resolve);

describe('library protocol', () => {
  it('serves a model by id with its type', async () => {
    const response = await get(`${FILE_BASE_URL}model/model-1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('model/gltf-binary');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('glTF-bytes');
  });

  it('answers 404 for unknown ids, missing files, other hosts, methods and path tricks', async () => {
    const urls = [
      `${FILE_BASE_URL}model/unknown`,
      `${FILE_BASE_URL}model/gone`,
      'i2m://elsewhere/model/model-1',
      `${FILE_BASE_URL}model/model-1?x=1`,
      `${FILE_BASE_URL}model/..%2Fsecret.txt`,
      `${FILE_BASE_URL}model/%2e%2e%2f%2e%2e%2fsecret.txt`,
      `${FILE_BASE_URL}..%2F..%2Fsecret.txt`,
      `${FILE_BASE_URL}model/model-1/extra`,
      `${FILE_BASE_URL}model/%E0%A4%A`,
      `${FILE_BASE_URL}${encodeURIComponent(join(dir, 'secret.txt'))}`,
      'file:///etc/passwd',
      'not a url',
    ];
    for (const url of urls) expect((await get(url)).status, url).toBe(404);
    expect((await get(`${FILE_BASE_URL}model/model-1`, 'POST')).status).toBe(404);
    // Only well-formed ids ever reached the library.
    for (const id of asked) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('renderer protocol (app://renderer/)', () => {
  let root: string;
  let outside: string;
  beforeAll(async () => {
    const { mkdirSync, symlinkSync } = await import('node:fs');
    outside = mkdtempSync(join(tmpdir(), 'i2m-outside-'));
    writeFileSync(join(outside, 'secret.js'), 'do not serve');
    root = mkdtempSync(join(tmpdir(), 'i2m-renderer-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'decoder.wasm'), Buffer.from([0, 97, 115, 109]));
    // A symlink inside the folder that leads out of it.
    symlinkSync(join(outside, 'secret.js'), join(root, 'assets', 'escape.js'));
    symlinkSync(outside, join(root, 'linked'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const page = (url: string, method = 'GET') => respondToRendererRequest({ url, method }, root);

  it('serves the page with the CSP header, and assets with their types', async () => {
    const html = await page(RENDERER_URL);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await html.text()).toContain('<div id="root">');
    const js = await page(`${RENDERER_ORIGIN}/assets/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect((await page(`${RENDERER_ORIGIN}/assets/decoder.wasm`)).headers.get('content-type')).toBe('application/wasm');
  });

  // The meta tag stays as a second layer; scripts/security-scan.mjs checks it against the reviewed CSP.
  it('sends the same CSP as the meta tag of the page', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync(join(process.cwd(), 'src/renderer/index.html'), 'utf8'));
    expect(meta?.[1]).toBe(RENDERER_CSP);
  });

  it('refuses traversal, symlinks out of the folder, other hosts, methods and unknown types', async () => {
    const urls = [
      `${RENDERER_ORIGIN}/..%2F..%2Fetc%2Fpasswd.html`,
      `${RENDERER_ORIGIN}/%2e%2e/%2e%2e/etc/passwd.js`,
      `${RENDERER_ORIGIN}/assets/%2e%2e%2f%2e%2e%2f${encodeURIComponent(outside.slice(1))}/secret.js`,
      `${RENDERER_ORIGIN}/${encodeURIComponent(join(outside, 'secret.js'))}`,
      `${RENDERER_ORIGIN}/assets%5C..%5C..%5Csecret.js`,
      `${RENDERER_ORIGIN}/assets/escape.js`,
      `${RENDERER_ORIGIN}/linked/secret.js`,
      `${RENDERER_ORIGIN}/assets/missing.js`,
      `${RENDERER_ORIGIN}/assets`,
      `${RENDERER_ORIGIN}/`,
      `${RENDERER_ORIGIN}/%E0%A4%A.js`,
      'app://elsewhere/index.html',
      'file:///etc/passwd',
      'not a url',
    ];
    for (const url of urls) expect((await page(url)).status, url).toBe(404);
    expect((await page(RENDERER_URL, 'POST')).status).toBe(404);
  });

  it('lets only the page read library files across origins', async () => {
    const response = await get(`${FILE_BASE_URL}model/model-1`);
    expect(response.headers.get('access-control-allow-origin')).toBe(RENDERER_ORIGIN);
  });
});
