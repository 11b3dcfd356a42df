// One GET over node:http / node:https whose connection uses only the addresses the caller's resolver
// returns: the resolver (which checks the addresses) runs as the socket's own name lookup, so the
// address checked is the address connected to. fetch cannot promise this - it resolves the name
// again when it connects, and a name that answers a public address first and 127.0.0.1 the next time
// (DNS rebinding) would slip past a check made before it.
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/** The addresses a connection to `hostname` may use; rejects to refuse the connection. */
export type CheckedResolver = (hostname: string) => Promise<string[]>;

/**
 * GETs `url` (no redirects followed, no compression asked for) and answers like fetch. Without a
 * resolver the system's lookup is used (for trusted local origins). A resolver's rejection is the
 * request's error, as it was thrown.
 */
export function requestPinned(url: URL, signal: AbortSignal, resolve?: CheckedResolver): Promise<Response> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((done, fail) => {
    let lookupError: unknown;
    const lookup = resolve && pinnedLookup(resolve, (error) => (lookupError = error));
    // agent: false - a fresh connection each time, never a pooled socket made by another lookup.
    const request = send(url, { method: 'GET', agent: false, signal, headers: { accept: '*/*' }, ...(lookup && { lookup }) }, (response) => {
      try {
        done(toResponse(response));
      } catch (error) {
        response.destroy();
        fail(error);
      }
    });
    request.once('error', (error) => fail(lookupError ?? error));
    request.end();
  });
}

function pinnedLookup(resolve: CheckedResolver, onError: (error: unknown) => void): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = familyOf(options.family);
    resolve(hostname)
      .then((addresses) => {
        const usable = addresses.map((address) => ({ address, family: isIP(address) })).filter((a) => wanted === 0 || a.family === wanted);
        if (usable.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
        return usable;
      })
      .then(
        (usable) => (options.all ? callback(null, usable) : callback(null, usable[0]!.address, usable[0]!.family)),
        (error: unknown) => {
          onError(error);
          callback(error as NodeJS.ErrnoException, '', 0);
        },
      );
  };
}

function familyOf(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

const NULL_BODY_STATUSES = [204, 205, 304];

function toResponse(message: IncomingMessage): Response {
  const status = message.statusCode ?? 0;
  if (status < 200 || status > 599) throw new Error(`the server answered with status ${status}`);
  const headers = new Headers();
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2) headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!);
  if (NULL_BODY_STATUSES.includes(status)) {
    message.resume();
    return new Response(null, { status, statusText: message.statusMessage ?? '', headers });
  }
  // Cancelling the web stream destroys the message (and its socket).
  const body = Readable.toWeb(message) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status, statusText: message.statusMessage ?? '', headers });
}
