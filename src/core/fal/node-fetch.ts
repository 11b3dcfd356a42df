// The fetch the FAL client uses: the calls it makes (JSON requests, an upload body, the status event
// stream) sent over node:http(s) with keep-alive connections. Node's own fetch spends about three
// times the CPU per call on its stream machinery (1.8 vs 0.5 ms here), and the engine makes five
// calls per job on the thread that also serves the window. Anything this does not handle the same
// way (other body types, modes, caching) goes to the real fetch unchanged.
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { NULL_BODY_STATUSES, responseHead } from '../util/node-response';
import { readCapped } from '../util/read-capped';
import { ANSWER_TOO_LARGE } from './errors';
import { WholeResponse } from './whole-response';

// An idle connection is dropped after 4 s (as Node's fetch does), before a server's usual 5 s, so a
// request is not sent on a connection the server is just closing.
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });

type Body = string | Uint8Array | ArrayBuffer | Blob;

function isSupportedBody(body: unknown): body is Body | null | undefined {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer || body instanceof Blob;
}

/** fetch over node:http(s); see the file comment. */
export const nodeFetch: typeof fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
  // A Request object, a stream or form body, redirect: 'error': the real fetch.
  if (url === null || !isSupportedBody(init?.body) || init?.redirect === 'error') return globalThis.fetch(input, init);
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return globalThis.fetch(input, init);
  const body = await bodyBytes(init?.body);
  const headers = new Headers(init?.headers);
  if (body && !headers.has('content-type') && init?.body instanceof Blob && init.body.type) headers.set('content-type', init.body.type);
  if (typeof init?.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
  const outgoing: Record<string, string> = {};
  headers.forEach((value, key) => (outgoing[key] = value));
  if (body) outgoing['content-length'] = String(body.byteLength);
  init?.signal?.throwIfAborted();

  const method = (init?.method ?? 'GET').toUpperCase();
  const response = await send(target, method, outgoing, body, init?.signal ?? undefined);
  // FAL's API does not redirect. Should a GET be redirected, the real fetch repeats it and follows
  // (with its rules for credentials); anything else is answered as it is - a POST is never sent twice.
  if (response.status >= 300 && response.status < 400 && response.headers.has('location') && method === 'GET' && init?.redirect !== 'manual') {
    await response.body?.cancel().catch(() => undefined);
    return readWhole(await globalThis.fetch(input, init));
  }
  return response;
};

/** The real fetch's answer read whole under the same cap as ours (an event stream stays a stream). */
async function readWhole(response: Response): Promise<Response> {
  if (!response.body || (response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return response;
  return new Response(await readAnswerCapped(response.body), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** A body read whole, never past MAX_ANSWER_BYTES (beyond it: answerTooLarge, ANSWER_TOO_LARGE). */
export async function readAnswerCapped(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  await readCapped(body, MAX_ANSWER_BYTES, (chunk) => void chunks.push(chunk), answerTooLarge);
  return Buffer.concat(chunks) as Uint8Array<ArrayBuffer>; // a Buffer's memory is never shared
}

function send(target: URL, method: string, headers: Record<string, string>, body: Uint8Array | null, signal: AbortSignal | undefined): Promise<Response> {
  const https = target.protocol === 'https:';
  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    const request = (https ? httpsRequest : httpRequest)(
      target,
      { method, headers, agent: https ? httpsAgent : httpAgent, ...(signal && { signal }) },
      (message) => {
        answered = true;
        toResponse(message).then(resolve, (error: unknown) => {
          message.destroy();
          reject(signal?.aborted ? abortError(signal) : error);
        });
      },
    );
    request.on('error', (error) => reject(signal?.aborted ? abortError(signal) : error));
    // A 101 is no answer to these calls (fetch fails it too). Without this, Node closes the socket
    // silently and the call would wait forever - past any timeout, as the request is closed already.
    request.on('upgrade', (message: IncomingMessage, socket: Socket) => {
      answered = true;
      socket.destroy();
      reject(Object.assign(new Error(`the server switched protocols (HTTP ${message.statusCode ?? 101})`), { code: 'EPROTO' }));
    });
    // Whatever else ends the request without an answer or an error must not leave the call waiting.
    request.on('close', () => {
      if (!answered) reject(signal?.aborted ? abortError(signal) : Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    });
    request.end(body ?? undefined);
  });
}

async function bodyBytes(body: Body | null | undefined): Promise<Uint8Array | null> {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return new Uint8Array(await body.arrayBuffer());
}

/** An event stream stays a stream (it is read as events arrive); any other body is read whole. */
async function toResponse(message: IncomingMessage): Promise<Response> {
  const init = responseHead(message);
  if (NULL_BODY_STATUSES.has(init.status)) {
    message.resume();
    return new Response(null, init);
  }
  const body = await decoded(message, init.headers);
  if ((init.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    // Cancelling the web stream destroys the message (and its socket).
    return new Response(Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>, init);
  }
  // A body is never read past the cap, whatever Content-Length (or a compressed size) says.
  if (Number(init.headers.get('content-length')) > MAX_ANSWER_BYTES) throw answerTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_ANSWER_BYTES) throw answerTooLarge();
    chunks.push(chunk as Buffer);
  }
  return new WholeResponse(Buffer.concat(chunks, size) as Uint8Array<ArrayBuffer>, init).asResponse(); // a Buffer's memory is never shared
}

/**
 * The body of an answer nodeFetch read whole, without reading it (the caller can still read it after):
 * null for any other answer, or one already read. Saves the FAL client wrapper a second copy and stream.
 */
export function bodyReadWhole(response: Response): Uint8Array<ArrayBuffer> | null {
  return response instanceof WholeResponse ? response.unreadBytes() : null;
}

/**
 * Largest answer read whole. FAL's queue answers (submit, status, result: file URLs, not files) are a
 * few KiB and the platform API's pages well under 1 MiB; a broken or hostile server's endless body
 * must not be read into memory.
 */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

function answerTooLarge(): Error {
  return Object.assign(new Error(`the answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB and was not read`), { code: ANSWER_TOO_LARGE });
}

/** Most content codings undone for one answer (fetch's own limit): each is a decompressor in memory. */
const MAX_CODINGS = 5;

/**
 * The body as fetch hands it over: decompressed when the server compressed it. With no
 * Accept-Encoding sent, HTTP allows any coding, and a proxy in front of FAL may well gzip - an answer
 * FAL gzipped already ("gzip, gzip"), or as several header lines. Codings are undone last first, as
 * fetch does; should one be unknown, the body is handed over as it came (fetch does the same).
 */
async function decoded(message: IncomingMessage, headers: Headers): Promise<Readable> {
  const codings = (headers.get('content-encoding') ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length > MAX_CODINGS) {
    throw Object.assign(new Error(`the answer names more than ${MAX_CODINGS} content codings (${codings.length}) and was not read`), { code: 'ERR_CONTENT_ENCODING' });
  }
  if (codings.some((coding) => !KNOWN_CODINGS.has(coding))) return message;
  let body: Readable = message;
  for (const coding of codings.reverse()) {
    // "deflate" as fetch reads it: the zlib format HTTP names, or the bare deflate data some servers
    // send under that name, told apart by the first byte (as fetch does).
    const decoder = coding === 'br' ? createBrotliDecompress() : coding !== 'deflate' ? createGunzip() : zlibWrapped(await firstByte(body)) ? createInflate() : createInflateRaw();
    // pipeline destroys both on an error or an early end of either.
    body = pipeline(body, decoder, () => undefined);
  }
  return body;
}

const KNOWN_CODINGS: ReadonlySet<string> = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

function zlibWrapped(first: number | null): boolean {
  return first === null || (first & 0x0f) === 0x08;
}

/** The stream's first byte, left in place to be read (null when it ends or fails first). */
function firstByte(stream: Readable): Promise<number | null> {
  return new Promise((resolve) => {
    const done = (value: number | null) => {
      stream.off('readable', onReadable).off('end', onEnd).off('close', onEnd).off('error', onEnd);
      resolve(value);
    };
    const onReadable = () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return;
      stream.unshift(chunk);
      done(chunk[0] ?? null);
    };
    const onEnd = () => done(null);
    stream.on('readable', onReadable).on('end', onEnd).on('close', onEnd).on('error', onEnd);
  });
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}
