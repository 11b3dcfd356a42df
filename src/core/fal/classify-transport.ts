// Classifying what failed below FAL's HTTP answers (part of classify.ts, pure as it is): a connection
// that could not be made or broke (offline, timed out, an answer that could not be read), and the
// model's download, whose HTTP statuses come from the download server rather than FAL's API.
import { ANSWER_TOO_LARGE, FalTransportError } from './errors';
import { errorMessage, isRecord } from '../util/errors';
import type { Classification, FalPhase } from './classify';

/** Unreachable network: nothing was sent, the machine is offline or the host does not resolve. */
export const OFFLINE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TIMEOUT',
]);

/** Statuses that are FAL infrastructure trouble, worth a retry. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 500, 502, 503, 504]);

// ---- transport failures ------------------------------------------------------------------------

export function classifyTransport(error: unknown, phase: FalPhase): Classification {
  const code = networkCode(error);
  const where = phase === 'download' ? 'the download server' : 'FAL';
  // Unreachable proves nothing was sent only while connecting: on an open connection (a read or a
  // write failed) the route went away mid-request, after a submit may have reached FAL.
  if (code && OFFLINE_CODES.has(code) && !onOpenConnection(error)) {
    return { kind: 'offline', code: 'offline', message: `Can't reach ${where} (${code}). Jobs continue by themselves when the connection is back.` };
  }
  if (code === ANSWER_TOO_LARGE) {
    // Something answered (so the request arrived; a submit may have been queued) with a body too big to read.
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return { kind: 'transient', code: 'server_error', message: `${capitalise(where)} sent an answer that could not be read${detail}.` };
  }
  if (code && unreadableAnswer(code)) {
    // An answer came (the request arrived; a submit may have been queued) that HTTP's parser or the
    // decompression would not read: a folded or overlong header, two lengths, a status past 599, a
    // broken gzip. Not a broken connection, and worth saying so.
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return { kind: 'transient', code: 'server_error', message: `${capitalise(where)} sent an answer that could not be read (${code}${detail}).` };
  }
  if (code && TIMEOUT_CODES.has(code)) {
    return { kind: 'transient', code: 'timeout', message: `${capitalise(where)} did not answer in time (${code}).` };
  }
  if (code || isFetchFailed(error) || error instanceof FalTransportError) {
    return { kind: 'transient', code: 'connection_lost', message: `The connection to ${where} was interrupted${code ? ` (${code})` : ''}.` };
  }
  if (notJsonAnswer(error)) {
    // An answer came and its body would not parse: V8's message quotes a piece of that body, which is
    // no help to the user and may hold anything the answer held, so none of it is repeated.
    return { kind: 'transient', code: 'server_error', message: `${capitalise(where)} sent an answer that could not be read (not JSON).` };
  }
  const message = errorMessage(error);
  return { kind: 'transient', code: 'connection_lost', message: `Talking to ${where} failed: ${message}` };
}

/** A JSON.parse failure of an answer's body (the FAL client's response.json()), anywhere in the cause chain. */
function notJsonAnswer(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && isRecord(current); depth++) {
    if (current instanceof SyntaxError) return true;
    current = current instanceof FalTransportError ? current.original : current.cause;
  }
  return false;
}

/** Codes of an answer that arrived but could not be read: Node's HTTP parser (HPE_*), zlib (Z_*), its codings. */
function unreadableAnswer(code: string): boolean {
  return code.startsWith('HPE_') || code.startsWith('Z_') || code === 'ERR_CONTENT_ENCODING';
}

/** The first errno-style code in the error's chain (`code`, `cause`, or our `original`). */
export function networkCode(error: unknown): string | null {
  if (error instanceof FalTransportError) return error.netCode ?? networkCode(error.original);
  let current: unknown = error;
  for (let depth = 0; depth < 6 && isRecord(current); depth++) {
    if (typeof current.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(current.code)) return current.code;
    current = current.cause;
  }
  return null;
}

/** The error came from a socket's read or write (Node's `syscall`), not from connecting or a lookup. */
function onOpenConnection(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && isRecord(current); depth++) {
    if (current.syscall === 'read' || current.syscall === 'write') return true;
    current = current instanceof FalTransportError ? current.original : current.cause;
  }
  return false;
}

function isFetchFailed(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed|terminated|network/i.test(error.message);
}

// ---- downloads ---------------------------------------------------------------------------------

interface DownloadLike {
  code: string;
  status?: number;
  message: string;
  cause?: unknown;
}

export function asDownloadError(error: unknown): DownloadLike | null {
  if (isRecord(error) && error.name === 'DownloadError' && typeof error.code === 'string' && typeof error.message === 'string') {
    return error as unknown as DownloadLike;
  }
  return null;
}

export function classifyDownload(error: DownloadLike, phase: FalPhase): Classification {
  const what = phase === 'download' ? "the model's" : 'a';
  switch (error.code) {
    case 'refused':
    case 'too_many_redirects':
      // The download policy said no (data:/file:, plain http, a private address, a redirect loop): never retried.
      return { kind: 'fail', code: 'result_refused', message: `The result could not be downloaded safely: ${error.message}.`, requestDone: true };
    case 'too_large':
      return { kind: 'fail', code: 'result_too_large', message: `The generated model is too large to download: ${error.message}.`, requestDone: true };
    case 'timeout':
      return { kind: 'transient', code: 'timeout', message: `Downloading ${what} file took too long.` };
    case 'http_error': {
      const status = error.status ?? 0;
      if (status === 403 || status === 404 || status === 410) {
        return {
          kind: 'fail',
          code: 'result_expired',
          message: `The result's download link has expired or no longer exists (HTTP ${status}). Retry to generate the model again.`,
          requestDone: true,
        };
      }
      if (status === 429 || RETRYABLE_STATUSES.has(status)) {
        return { kind: 'transient', code: 'server_error', message: `The download server had a problem (HTTP ${status}).` };
      }
      if (phase === 'download') {
        // The download server's own answer, not FAL's: FAL made the model (and charged for it), and a
        // fresh link from FAL may work - a failed download like the others, not a run FAL failed.
        const message = `The model was made (and paid for), but its download server answered HTTP ${status}. Use Download again (free) later; FAL keeps results for a while.`;
        return { kind: 'fail', code: 'result_download_failed', message, requestDone: false };
      }
      return { kind: 'fail', code: 'fal_error', message: `Downloading the result failed (HTTP ${status}).`, requestDone: true };
    }
    default:
      return classifyTransport(error.cause ?? error, 'download');
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
