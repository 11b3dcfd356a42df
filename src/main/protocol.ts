// Library files reach the page through `i2m://library/<kind>/<id>`: ids in, files out, no paths in URLs.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { ResolvedFile } from '../core/file-routes';

export const FILE_SCHEME = 'i2m';
export const FILE_HOST = 'library';
export const FILE_BASE_URL = `${FILE_SCHEME}://${FILE_HOST}/`;

/** Must run before the app is ready. */
export function registerFileScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: FILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
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
      },
    });
  } catch {
    return notFound();
  }
}

/** Serves library files by id (uses protocol.handle, not the deprecated register*Protocol APIs). */
export function serveLibraryFiles(resolve: (route: string) => ResolvedFile | null): void {
  protocol.handle(FILE_SCHEME, (request) => respondToLibraryRequest(request, resolve));
}
