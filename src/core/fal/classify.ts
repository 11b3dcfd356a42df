// Pure error classification: what went wrong talking to FAL (or downloading from it), and what the
// job engine should do about it. No I/O, no clock: `nowMs` comes in for Retry-After dates.
// FAL's HTTP answers here; a broken connection and the model's download: classify-transport.ts.
import { parseRetryAfter } from '../queue/backoff';
import { FalAlreadyCompletedError, FalHttpError, FalResultNotReadyError } from './errors';
import { isRecord } from '../util/errors';
import { asDownloadError, classifyDownload, classifyTransport, RETRYABLE_STATUSES } from './classify-transport';

export { networkCode, OFFLINE_CODES } from './classify-transport';

/** Which step of a job the error came from; the same status means different things per step. */
export type FalPhase = 'upload' | 'submit' | 'status' | 'result' | 'cancel' | 'download';

export type Classification =
  /**
   * Bad key (`key_rejected`) or a used-up FAL balance (`balance_used_up`: the key is right, the
   * account is locked until topped up): pause the whole queue, keep the job queued.
   */
  | { kind: 'auth'; code: 'key_rejected' | 'balance_used_up'; status: number; message: string }
  /** 429: wait (Retry-After when given), no attempt spent. */
  | { kind: 'rate_limit'; code: 'rate_limited'; retryAfterMs: number | null; message: string }
  /** No route to FAL at all: the queue waits offline, no attempt spent. */
  | { kind: 'offline'; code: 'offline'; message: string }
  /** Worth another try after a back-off; spends an attempt. */
  | { kind: 'transient'; code: 'server_error' | 'connection_lost' | 'timeout'; message: string }
  /**
   * The job cannot succeed as it is. `requestDone`: FAL finished with (or forgot) the request, so a
   * retry must submit again rather than follow the old request id.
   */
  | { kind: 'fail'; code: FailCode; message: string; requestDone: boolean }
  /** Our own cancel/stop/lease loss interrupted the call: not an error of the job. */
  | { kind: 'aborted'; code: 'aborted'; message: string };

export type FailCode =
  | 'invalid_input'
  | 'request_not_found'
  | 'run_failed'
  | 'result_expired'
  | 'result_download_failed'
  | 'result_too_large'
  | 'result_refused'
  | 'fal_error'
  | 'fal_timeout'
  | 'already_completed';

export function classifyError(error: unknown, phase: FalPhase, nowMs: number): Classification {
  if (isAbort(error)) return { kind: 'aborted', code: 'aborted', message: 'Interrupted' };
  if (error instanceof FalAlreadyCompletedError) {
    return { kind: 'fail', code: 'already_completed', message: error.message, requestDone: false };
  }
  if (error instanceof FalResultNotReadyError) {
    // As a 400 "still in progress" (resultNotReady below): followed again under the same request id.
    return { kind: 'transient', code: 'server_error', message: `FAL's result was not ready yet (${error.message}).` };
  }
  const download = asDownloadError(error);
  if (download) return classifyDownload(download, phase);
  const http = asHttpError(error);
  if (http) return classifyHttp(http, phase, nowMs);
  return classifyTransport(error, phase);
}

// ---- HTTP answers ------------------------------------------------------------------------------

interface HttpLike {
  status: number;
  body: unknown;
  headers: Readonly<Record<string, string>>;
}

function asHttpError(error: unknown): HttpLike | null {
  if (error instanceof FalHttpError) return error;
  // The client's own ApiError/ValidationError (e.g. from a stream) has status and body, no headers.
  if (isRecord(error) && typeof error.status === 'number' && (error.name === 'ApiError' || error.name === 'ValidationError')) {
    return { status: error.status, body: error.body, headers: {} };
  }
  return null;
}

function classifyHttp(error: HttpLike, phase: FalPhase, nowMs: number): Classification {
  const { status } = error;
  const text = falText(error.body);
  const said = text ? `: ${text}` : '';
  const errorType = error.headers['x-fal-error-type'] ?? errorTypeOf(error.body);

  if (status === 401 || status === 403) {
    // FAL's 403 for a used-up balance ("User is locked. Reason: Exhausted balance..."): the key is
    // right, so asking for another one sent the user the wrong way.
    const balance = status === 403 && text !== null && /\b(locked|balance|billing)\b/i.test(text);
    return {
      kind: 'auth',
      code: balance ? 'balance_used_up' : 'key_rejected',
      status,
      message: balance
        ? `FAL refused the job: your FAL account is locked (HTTP ${status}${said}). Top up your FAL balance at fal.ai/dashboard/billing, then press Test key in Settings; waiting jobs continue once it passes.`
        : `FAL refused the API key (HTTP ${status}${said}). Enter a working key in Settings; waiting jobs continue after that.`,
    };
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(error.headers['retry-after'], nowMs);
    return { kind: 'rate_limit', code: 'rate_limited', retryAfterMs, message: `FAL is limiting how fast requests may come (HTTP 429${said}).` };
  }
  if (status === 504 && error.headers['x-fal-request-timeout-type'] === 'user') {
    return { kind: 'fail', code: 'fal_timeout', message: `FAL stopped the job because it ran past its time limit${said}.`, requestDone: true };
  }
  if (phase === 'result' && resultNotReady(status, text)) {
    // The status said COMPLETED too early (an out-of-order or stale answer) or a proxy timed out: the
    // result is still coming, and will be charged. Followed again under the same request id.
    return { kind: 'transient', code: 'server_error', message: `FAL's result was not ready yet (HTTP ${status}${said}).` };
  }
  if (phase === 'result' && status === 404) {
    // FAL keeps a finished result for a limited time (an hour, minutes for large answers): the run
    // did not fail - it was made and charged - but its answer is gone.
    return {
      kind: 'fail',
      code: 'result_expired',
      message: `FAL no longer holds this job's result (HTTP 404${said}): it keeps results only for a while after a job finishes. The model was made and charged; Generate again makes it anew (charged again).`,
      requestDone: true,
    };
  }
  if (phase === 'result' && status !== 502 && status !== 503 && status !== 504) {
    // The run reached COMPLETED but its result is an error: the model failed on this input.
    return { kind: 'fail', code: 'run_failed', message: `FAL reports that the generation failed (HTTP ${status}${said}).`, requestDone: true };
  }
  if (status === 404 && phase === 'status') {
    return { kind: 'fail', code: 'request_not_found', message: `FAL no longer knows this job (HTTP 404${said}).`, requestDone: true };
  }
  if (status === 422) {
    return { kind: 'fail', code: 'invalid_input', message: `FAL rejected the job's settings${said || ` (HTTP 422)`}.`, requestDone: true };
  }
  // A redirect is no refusal: a proxy may answer 303 "see other" after FAL queued the job, and the
  // client follows none for a POST (fal/node-fetch.ts: a submit is never sent twice). Uncertain.
  if (phase === 'submit' && status >= 300 && status <= 399) {
    return { kind: 'transient', code: 'server_error', message: `FAL (or a proxy in front of it) answered the submit with a redirect (HTTP ${status}).` };
  }
  // On submit any 5xx may come from a gateway after FAL queued the job (Cloudflare's 520-530): never
  // a definite refusal, so the submit stays uncertain (see submitNotQueued).
  if (RETRYABLE_STATUSES.has(status) || (phase === 'submit' && status >= 500 && status <= 599)) {
    const kindText = errorType ? ` ${errorType}` : '';
    return { kind: 'transient', code: 'server_error', message: `FAL had a server problem (HTTP ${status}${kindText}${said}).` };
  }
  return { kind: 'fail', code: 'fal_error', message: `FAL answered HTTP ${status}${said}.`, requestDone: phase !== 'status' };
}

/** A result GET answered before the result exists: FAL's 400 "Request is still in progress", or a 408. */
function resultNotReady(status: number, text: string | null): boolean {
  return status === 408 || (status === 400 && text !== null && /\bin progress\b|\bin queue\b|not (yet )?(completed|finished|ready)/i.test(text));
}

/**
 * FAL's human text: `detail` as a string, or `detail[]` of `{loc, msg}` ("face_limit: ensure this
 * value..."), else `message` / `error`. Plain-text bodies are used when short.
 */
export function falText(body: unknown): string | null {
  if (typeof body === 'string') {
    const text = body.replace(/\s+/g, ' ').trim();
    return text && text.length <= 300 && !text.startsWith('<') ? text : null;
  }
  if (!isRecord(body)) return null;
  const { detail } = body;
  if (typeof detail === 'string' && detail.trim()) return detail.trim();
  if (Array.isArray(detail)) {
    const parts = detail.map(fieldErrorText).filter((part): part is string => part !== null);
    if (parts.length > 0) return parts.join('; ');
  }
  for (const key of ['message', 'error'] as const) {
    const value = body[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return null;
}

function fieldErrorText(item: unknown): string | null {
  if (typeof item === 'string') return item;
  if (!isRecord(item) || typeof item.msg !== 'string') return null;
  const loc = Array.isArray(item.loc) ? item.loc.filter((part, i) => !(i === 0 && part === 'body')).map(String) : [];
  return loc.length > 0 ? `${loc.join('.')}: ${item.msg}` : item.msg;
}

function errorTypeOf(body: unknown): string | undefined {
  return isRecord(body) && typeof body.error_type === 'string' ? body.error_type : undefined;
}

function isAbort(error: unknown): boolean {
  return isRecord(error) && (error.name === 'AbortError' || (error.name === 'DownloadError' && error.code === 'aborted'));
}
