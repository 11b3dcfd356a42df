// Library files reach the page through `i2m://library/<kind>/<id>`: ids in, files out, no paths in URLs.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import type { ResolvedFile } from '../core/file-routes';

export const FILE_SCHEME = 'i2m';
export const FILE_BASE_URL = `${FILE_SCHEME}://library/`;

/** Must run before the app is ready. */
export function registerFileScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: FILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function registerFileProtocol(resolve: (route: string) => ResolvedFile | null): void {
  protocol.handle(FILE_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'library' || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const file = resolve(decodeURIComponent(url.pathname.slice(1)));
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file.path).toString());
    return new Response(response.body, { headers: { 'content-type': file.mime, 'cache-control': 'no-store' } });
  });
}
