// Creates the @fal-ai/client instance the engine uses: the key, an optional proxy (every call but
// the upload PUT goes through it, as FAL.md describes), the key guard (the key only ever reaches FAL's
// hosts or that proxy, see key-guard.ts), and a fetch wrapper that
// - bounds every call with a timeout (the client has none),
// - turns non-2xx answers and transport failures into FalHttpError / FalTransportError, which the
//   client does not retry by itself (its loop ignores Retry-After and has a fixed 1 s base), so the
//   job-level policy in queue/ decides, with the real headers in hand,
// - spots a cancel answered with ALREADY_COMPLETED (the client drops cancel bodies).
import { createFalClient, type FalClient } from '@fal-ai/client';
import { FalAlreadyCompletedError, FalHttpError, FalTransportError } from './errors';
import { describeError as describe, isRecord } from '../util/errors';
import { guardStatusStream } from './status-stream-guard';
import { keyGuardFetch } from './key-guard';
import { bodyReadWhole, nodeFetch, readAnswerCapped } from './node-fetch';

export type { FalClient };

export interface FalClientOptions {
  key: string;
  proxyUrl?: string | null;
  /**
   * Whether the key may go to `proxyUrl` (default true: whoever passes a proxy here configured it -
   * the CLI flag, a test). The app narrows this further with its own key guard around `fetch`.
   */
  sendKeyToProxy?: boolean;
  fetch?: typeof fetch;
  /** Bound for each API call and upload (default 60 s). Status streams are bounded by the runner. */
  requestTimeoutMs?: number;
}

const TARGET_URL_HEADER = 'x-fal-target-url';

export function createFal(opts: FalClientOptions): FalClient {
  return createFalClient({
    credentials: opts.key,
    suppressLocalCredentialsWarning: true,
    ...(opts.proxyUrl ? { proxyUrl: { url: opts.proxyUrl, when: 'always' as const } } : {}),
    fetch: guardedFetch(
      keyGuardFetch(opts.fetch ?? nodeFetch, () => ({ proxyUrl: opts.proxyUrl ?? null, sendKeyToProxy: opts.sendKeyToProxy ?? true })),
      opts.requestTimeoutMs ?? 60_000,
    ),
  });
}

/** See the file comment. Exported for tests. */
export function guardedFetch(base: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const target = headerOf(init?.headers, TARGET_URL_HEADER) ?? url;
    const streaming = /\/status\/stream(\?|$)/.test(target);
    const deadline = streaming ? null : callDeadline(timeoutMs, init?.signal ?? null);
    const signal = deadline?.signal ?? init?.signal ?? undefined;

    let response: Response;
    let body: Uint8Array<ArrayBuffer> | null = null;
    // nodeFetch read the answer whole already: it is passed on unread, with no copy.
    let readWhole = false;
    try {
      response = await base(input, { ...init, ...(signal ? { signal } : {}) });
      // Buffer ordinary answers inside the timeout, so a stalled body is bounded too and read
      // errors surface here, typed, rather than inside the client. Under nodeFetch's size cap: an
      // answer it handed over as a stream (labelled an event stream, an error on a status stream - no
      // timeout there) or one from another fetch must not fill the memory either.
      if (!streaming || !response.ok) {
        const whole = bodyReadWhole(response);
        readWhole = whole !== null;
        body = whole ?? (response.body ? await readAnswerCapped(response.body) : new Uint8Array(0));
      }
    } catch (error) {
      if (deadline?.timedOut() && !init?.signal?.aborted) {
        throw new FalTransportError('ETIMEDOUT', `No answer within ${Math.round(timeoutMs / 1000)} s`, target, error);
      }
      if (init?.signal?.aborted || isAbortError(error)) throw error;
      throw new FalTransportError(codeOf(error), describe(error), target, error);
    } finally {
      deadline?.done();
    }

    if (!response.ok) {
      throw new FalHttpError(response.status, headersOf(response.headers), parseBody(body, response.headers), target);
    }
    // A status stream stays a stream, each of its events capped, cut only between characters
    // (status-stream-guard.ts).
    if (body === null) return response.body ? new Response(guardStatusStream(response.body), { status: response.status, statusText: response.statusText, headers: response.headers }) : response;
    if (/\/cancel(\?|$)/.test(target) && (init?.method ?? 'GET').toUpperCase() === 'PUT') {
      const parsed = parseBody(body, response.headers);
      if (isRecord(parsed) && parsed.status === 'ALREADY_COMPLETED') throw new FalAlreadyCompletedError();
    }
    if (readWhole) return response;
    return new Response(response.status === 204 || response.status === 205 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * A call's signal: aborted by the caller's own signal, or after `timeoutMs`. done() clears the timer
 * and the listener once the answer is read. (AbortSignal.timeout and AbortSignal.any cost 40 and 30 µs
 * a call in Node 20 and hold on until collected; this costs under 6.)
 */
function callDeadline(timeoutMs: number, outer: AbortSignal | null): { signal: AbortSignal; timedOut: () => boolean; done: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  }, timeoutMs);
  timer.unref?.();
  const follow = () => controller.abort(outer?.reason);
  if (outer?.aborted) follow();
  else outer?.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', follow);
    },
  };
}

function headerOf(headers: RequestInit['headers'], name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  if (Array.isArray(headers)) {
    const found = headers.find((pair) => pair[0]?.toLowerCase() === name);
    return found?.[1] ?? null;
  }
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return String(value);
  return null;
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

function parseBody(body: Uint8Array | null, headers: Headers): unknown {
  if (!body || body.byteLength === 0) return '';
  const text = new TextDecoder().decode(body);
  if ((headers.get('content-type') ?? '').includes('json') || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON after all
    }
  }
  // Squeezed before it is cut: cut first, a whitespace-padded page's short tail passed as FAL's words
  // (classify.ts takes short texts), with a key in it cut in two, beyond redaction's reach.
  return text.replace(/\s+/g, ' ').trim().slice(0, 2000);
}

function codeOf(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && isRecord(current); depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return null;
}

function isAbortError(error: unknown): boolean {
  return isRecord(error) && error.name === 'AbortError';
}
