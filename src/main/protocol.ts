// Library files reach the page through `i2m://library/<kind>/<id>`: ids in, files out, no paths in URLs.
// The page itself comes from `app://renderer/...` (the built renderer folder only), not from file://,
// so the grantFileProtocolExtraPrivileges fuse can stay off.
import fs, { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { ResolvedFile } from '../core/file-routes';
import { realFileWithin } from '../core/util/within';

export const FILE_SCHEME = 'i2m';
export const FILE_HOST = 'library';
export const FILE_BASE_URL = `${FILE_SCHEME}://${FILE_HOST}/`;

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'renderer';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_URL = `${RENDERER_ORIGIN}/index.html`;

/** Sent as a header with the page; the same policy as the meta tag in src/renderer/index.html (tested). */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob: i2m:; connect-src 'self' data: blob: i2m:; worker-src 'self' blob:; font-src 'self'; media-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'";

/** Must run before the app is ready (both schemes in one call: a second call would replace the first). */
export function registerFileScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // corsEnabled: the page (app://renderer) fetches models from this other origin.
    { scheme: FILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } },
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });

/** Answers one request: only GET `i2m://library/<kind>/<id>` for a file the core knows; else 404. */
export async function respondToLibraryRequest(
  request: Pick<Request, 'url' | 'method'>,
  resolve: (route: string) => ResolvedFile | null,
): Promise<Response> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return notFound();
  }
  if (url.protocol !== `${FILE_SCHEME}:` || url.host !== FILE_HOST || request.method !== 'GET' || url.search) return notFound();
  let route: string;
  try {
    route = decodeURIComponent(url.pathname.slice(1));
  } catch {
    return notFound();
  }
  const file = resolve(route);
  if (!file) return notFound();
  try {
    const info = await stat(file.path);
    if (!info.isFile()) return notFound();
    const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        'content-type': file.mime,
        'content-length': String(info.size),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'access-control-allow-origin': RENDERER_ORIGIN,
      },
    });
  } catch {
    return notFound();
  }
}

const RENDERER_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

// Called through the fs object at call time, so Electron's asar support (which patches fs) applies.
const readWhole = (path: string) =>
  new Promise<Buffer>((resolve, reject) => fs.readFile(path, (error, data) => (error ? reject(error) : resolve(data))));

/**
 * Answers one request for the page: only GET `app://renderer/<file>` of a file really inside `root`
 * (after following symlinks), with its type; the HTML page also gets the CSP header. Else 404.
 */
export async function respondToRendererRequest(request: Pick<Request, 'url' | 'method'>, root: string): Promise<Response> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return notFound();
  }
  if (url.protocol !== `${RENDERER_SCHEME}:` || url.host !== RENDERER_HOST || request.method !== 'GET') return notFound();
  let route: string;
  try {
    route = decodeURIComponent(url.pathname);
  } catch {
    return notFound();
  }
  const type = RENDERER_TYPES[extname(route).toLowerCase()];
  if (!type) return notFound();
  const file = await realFileWithin(root, route);
  if (!file) return notFound();
  try {
    const body = await readWhole(file);
    const headers: Record<string, string> = {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    };
    if (type.startsWith('text/html')) headers['content-security-policy'] = RENDERER_CSP;
    return new Response(new Uint8Array(body), { headers });
  } catch {
    return notFound();
  }
}

/** Serves the built renderer folder (out/renderer) under app://renderer/. */
export function serveRenderer(root: string): void {
  protocol.handle(RENDERER_SCHEME, (request) => respondToRendererRequest(request, root));
}

/** Serves library files by id (uses protocol.handle, not the deprecated register*Protocol APIs). */
export function serveLibraryFiles(resolve: (route: string) => ResolvedFile | null): void {
  protocol.handle(FILE_SCHEME, (request) => respondToLibraryRequest(request, resolve));
}
