import { describe, expect, it } from 'vitest';
import { classifyError, falText } from '../../../src/core/fal/classify';
import { ANSWER_TOO_LARGE, FalAlreadyCompletedError, FalHttpError, FalTransportError } from '../../../src/core/fal/errors';
import { submitNotQueued } from '../../../src/core/engine/fal-steps';
import { DownloadError } from '../../../src/core/library/files';

const NOW = Date.UTC(2026, 5, 1);
const http = (status: number, body: unknown = {}, headers: Record<string, string> = {}) =>
  new FalHttpError(status, headers, body, 'https://queue.fal.run/x');
const netError = (code: string) => {
  const error = new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
  return error;
};

describe('classifyError: HTTP answers', () => {
  it('401 and 403 are key problems with FAL\'s text', () => {
    const c = classifyError(http(401, { detail: 'No user found for Key ID and Secret' }), 'submit', NOW);
    expect(c.kind).toBe('auth');
    expect(c.message).toContain('No user found for Key ID and Secret');
    expect(classifyError(http(403, { detail: 'User is locked' }), 'status', NOW).kind).toBe('auth');
  });

  it('a 403 for a used-up balance is its own code (the key is right); a plain 401/403 is the key', () => {
    const locked = classifyError(http(403, { detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.' }), 'submit', NOW);
    expect(locked).toMatchObject({ kind: 'auth', code: 'balance_used_up' });
    expect(locked.message).toContain('fal.ai/dashboard/billing');
    expect(classifyError(http(403, { detail: 'Forbidden' }), 'submit', NOW)).toMatchObject({ kind: 'auth', code: 'key_rejected' });
    expect(classifyError(http(401, { detail: 'No user found for Key ID and Secret' }), 'submit', NOW)).toMatchObject({ kind: 'auth', code: 'key_rejected' });
  });

  it('422 fails with the field message and its location', () => {
    const body = { detail: [{ loc: ['body', 'face_limit'], msg: 'ensure this value is less than or equal to 100000', type: 'x' }] };
    const c = classifyError(http(422, body), 'submit', NOW);
    expect(c).toMatchObject({ kind: 'fail', code: 'invalid_input' });
    expect(c.message).toContain('face_limit: ensure this value is less than or equal to 100000');
  });

  it('429 waits for Retry-After in seconds or as an HTTP date, or without one', () => {
    expect(classifyError(http(429, {}, { 'retry-after': '3' }), 'submit', NOW)).toMatchObject({ kind: 'rate_limit', retryAfterMs: 3000 });
    const date = new Date(NOW + 10_000).toUTCString();
    expect(classifyError(http(429, {}, { 'retry-after': date }), 'status', NOW)).toMatchObject({ kind: 'rate_limit', retryAfterMs: 10_000 });
    expect(classifyError(http(429), 'upload', NOW)).toMatchObject({ kind: 'rate_limit', retryAfterMs: null });
  });

  it('5xx are transient and name the FAL error type', () => {
    for (const status of [500, 502, 503, 504]) {
      const c = classifyError(http(status, { detail: 'x', error_type: 'runner_scheduling_failure' }), 'submit', NOW);
      expect(c).toMatchObject({ kind: 'transient', code: 'server_error' });
    }
    const c = classifyError(http(503, { detail: 'No runner' }, { 'x-fal-error-type': 'runner_scheduling_failure' }), 'status', NOW);
    expect(c.message).toContain('runner_scheduling_failure');
  });

  it('a user timeout (504 + timeout type user) is final', () => {
    const c = classifyError(http(504, { detail: 'timed out' }, { 'x-fal-request-timeout-type': 'user' }), 'result', NOW);
    expect(c).toMatchObject({ kind: 'fail', code: 'fal_timeout' });
  });

  it('404 on status means FAL forgot the request: fail with its text', () => {
    const c = classifyError(http(404, { detail: 'Request not found' }), 'status', NOW);
    expect(c).toMatchObject({ kind: 'fail', code: 'request_not_found', requestDone: true });
    expect(c.message).toContain('Request not found');
  });

  it('a non-2xx result after COMPLETED is a failed run, except gateway trouble', () => {
    const failed = classifyError(http(500, { detail: 'CUDA out of memory' }), 'result', NOW);
    expect(failed).toMatchObject({ kind: 'fail', code: 'run_failed', requestDone: true });
    expect(failed.message).toContain('CUDA out of memory');
    expect(classifyError(http(422, { detail: [{ loc: ['body', 'image_url'], msg: 'No object' }] }), 'result', NOW).code).toBe('run_failed');
    expect(classifyError(http(503), 'result', NOW).kind).toBe('transient');
    expect(classifyError(http(429), 'result', NOW).kind).toBe('rate_limit');
  });

  it('a result FAL no longer holds (404) is said to be gone, not a failed generation', () => {
    const c = classifyError(http(404, { detail: 'Request not found' }), 'result', NOW);
    expect(c).toMatchObject({ kind: 'fail', code: 'result_expired', requestDone: true });
    expect(c.message).not.toMatch(/generation failed/);
    expect(c.message).toMatch(/no longer holds/);
  });

  it('a result that is not ready yet (400 "still in progress", 408) is followed again, not a failed run', () => {
    expect(classifyError(http(400, { detail: 'Request is still in progress' }), 'result', NOW)).toMatchObject({ kind: 'transient' });
    expect(classifyError(http(408), 'result', NOW)).toMatchObject({ kind: 'transient' });
    expect(classifyError(http(400, { detail: 'Image could not be decoded' }), 'result', NOW)).toMatchObject({ kind: 'fail', code: 'run_failed' });
  });

  it("reads the client's own ApiError shape too", () => {
    const apiError = Object.assign(new Error('Unprocessable'), { name: 'ValidationError', status: 422, body: { detail: 'bad image' } });
    expect(classifyError(apiError, 'submit', NOW)).toMatchObject({ kind: 'fail', code: 'invalid_input' });
  });

  it('other 4xx fail with FAL\'s text', () => {
    expect(classifyError(http(400, { detail: 'Bad request' }), 'submit', NOW)).toMatchObject({ kind: 'fail', code: 'fal_error' });
  });
});

describe('classifyError: transport failures', () => {
  it('unreachable network is offline (refused, DNS, no route)', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH']) {
      expect(classifyError(netError(code), 'submit', NOW).kind).toBe('offline');
      expect(classifyError(new FalTransportError(code, 'x', 'u'), 'status', NOW).kind).toBe('offline');
    }
  });

  it('resets and timeouts are transient', () => {
    expect(classifyError(netError('ECONNRESET'), 'status', NOW)).toMatchObject({ kind: 'transient', code: 'connection_lost' });
    expect(classifyError(new FalTransportError('ETIMEDOUT', 'x', 'u'), 'submit', NOW)).toMatchObject({ kind: 'transient', code: 'timeout' });
    expect(classifyError(new TypeError('fetch failed'), 'submit', NOW).kind).toBe('transient');
  });

  it('an answer too large to read is transient and says so; on submit it never proves nothing was queued', () => {
    const error = new FalTransportError(ANSWER_TOO_LARGE, 'the answer is larger than 16 MiB and was not read', 'u');
    const c = classifyError(error, 'submit', NOW);
    expect(c).toMatchObject({ kind: 'transient', code: 'server_error', message: expect.stringContaining('larger than 16 MiB') });
    expect(submitNotQueued(c)).toBe(false);
  });

  it('our own aborts are not errors of the job', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(classifyError(abort, 'status', NOW).kind).toBe('aborted');
  });

  it('ALREADY_COMPLETED on cancel is recognised', () => {
    expect(classifyError(new FalAlreadyCompletedError(), 'cancel', NOW).code).toBe('already_completed');
  });
});

describe('classifyError: downloads', () => {
  it('an expired result URL fails with a clear message', () => {
    for (const status of [403, 404, 410]) {
      const c = classifyError(new DownloadError('http_error', 'x', status), 'download', NOW);
      expect(c).toMatchObject({ kind: 'fail', code: 'result_expired' });
      expect(c.message).toMatch(/expired/);
    }
  });

  it("an unexpected status from the model's download server is a failed download (FAL made it), not a run FAL failed", () => {
    const c = classifyError(new DownloadError('http_error', 'x', 418), 'download', NOW);
    expect(c).toMatchObject({ kind: 'fail', code: 'result_download_failed', requestDone: false });
    expect(c.message).toMatch(/made \(and paid for\).*HTTP 418.*Download again \(free\)/);
  });

  it('too large fails; timeouts and 5xx retry; network loss follows its cause', () => {
    expect(classifyError(new DownloadError('too_large', 'x'), 'download', NOW)).toMatchObject({ kind: 'fail', code: 'result_too_large' });
    expect(classifyError(new DownloadError('timeout', 'x'), 'download', NOW).kind).toBe('transient');
    expect(classifyError(new DownloadError('http_error', 'x', 502), 'download', NOW).kind).toBe('transient');
    expect(classifyError(new DownloadError('network', 'x', undefined, { cause: netError('ENOTFOUND') }), 'download', NOW).kind).toBe('offline');
    expect(classifyError(new DownloadError('network', 'x', undefined, { cause: netError('ECONNRESET') }), 'download', NOW).kind).toBe('transient');
  });
});

describe('falText', () => {
  it('reads string details, field lists, message and short plain text', () => {
    expect(falText({ detail: 'Rate limit exceeded' })).toBe('Rate limit exceeded');
    expect(falText({ detail: [{ loc: ['body', 'a', 0], msg: 'bad' }, { loc: ['query'], msg: 'worse' }] })).toBe('a.0: bad; query: worse');
    expect(falText({ message: 'hello' })).toBe('hello');
    expect(falText('  upstream   gone ')).toBe('upstream gone');
    expect(falText('<?xml version="1.0"?><Error/>')).toBeNull();
    expect(falText(null)).toBeNull();
  });
});
