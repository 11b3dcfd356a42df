// One GET over node:http / node:https whose connection uses only the addresses the caller's resolver
// returns: the resolver (which checks the addresses) runs for the request, and a new socket's own name
// lookup answers only what it returned, so the address checked is the address connected to. fetch cannot promise this - it resolves the name
// again when it connects, and a name that answers a public address first and 127.0.0.1 the next time
// (DNS rebinding) would slip past a check made before it.
// Connections are kept alive and reused (a TLS handshake per model and preview costs more than the
// download of a small file): a pooled socket was connected to an address its own lookup checked when
// it was made, and checked and trusted (local) requests never share a pool.
import type { IncomingMessage } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { NULL_BODY_STATUSES, responseHead } from '../util/node-response';

// Idle connections go after 4 s, before a server's usual 5 s keep-alive, like Node's fetch.
const agentOptions = { keepAlive: true, maxSockets: 16, timeout: 4_000 };
const pools = {
  checked: { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) },
  trusted: { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) },
};

/** The addresses a connection to `hostname` may use; rejects to refuse the connection. */
export type CheckedResolver = (hostname: string) => Promise<string[]>;

/**
 * GETs `url` (no redirects followed, no compression asked for) and answers like fetch. Without a
 * resolver the system's lookup is used (for trusted local origins). A resolver's rejection is the
 * request's error, as it was thrown.
 */
export async function requestPinned(url: URL, signal: AbortSignal, resolve?: CheckedResolver): Promise<Response> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  // Resolved (and checked) once per request; a new connection uses exactly these addresses, a pooled
  // one was made to addresses checked the same way. A refusal connects nowhere.
  const addresses = resolve ? await resolve(url.hostname.replace(/^\[|\]$/g, '')) : null;
  return new Promise<Response>((done, fail) => {
    const lookup = addresses && pinnedLookup(addresses);
    const pool = lookup ? pools.checked : pools.trusted;
    const agent = url.protocol === 'https:' ? pool.https : pool.http;
    const request = send(url, { method: 'GET', agent, signal, headers: { accept: '*/*' }, ...(lookup && { lookup }) }, (response) => {
      try {
        done(toResponse(response));
      } catch (error) {
        response.destroy();
        fail(error);
      }
    });
    request.on('error', fail);
    request.end();
  });
}

/** A socket lookup that answers only `addresses` (of the family asked for). */
function pinnedLookup(addresses: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = familyOf(options.family);
    const usable = addresses.map((address) => ({ address, family: isIP(address) })).filter((a) => a.family !== 0 && (wanted === 0 || a.family === wanted));
    if (usable.length === 0) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '', 0);
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, usable[0]!.address, usable[0]!.family);
    }
  };
}

function familyOf(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

function toResponse(message: IncomingMessage): Response {
  const init = responseHead(message);
  if (NULL_BODY_STATUSES.has(init.status)) {
    message.resume();
    return new Response(null, init);
  }
  // Cancelling the web stream destroys the message (and its socket).
  const body = Readable.toWeb(message) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, init);
}
