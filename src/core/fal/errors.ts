// Errors raised by the app's fetch wrapper around @fal-ai/client. They deliberately do not extend
// the client's ApiError and carry no `cause` chain, so the client's own retry loop (which ignores
// Retry-After and cannot be tuned) lets them through and the job-level policy decides instead.

/** The error code of an answer nodeFetch would not read whole (over its size cap, see node-fetch.ts). */
export const ANSWER_TOO_LARGE = 'ERR_ANSWER_TOO_LARGE';

/** FAL (or the proxy, or the upload host) answered with a non-2xx status. */
export class FalHttpError extends Error {
  override readonly name = 'FalHttpError';
  constructor(
    readonly status: number,
    /** Lower-case header names. */
    readonly headers: Readonly<Record<string, string>>,
    /** Parsed JSON when the body was JSON, else the text (possibly empty). */
    readonly body: unknown,
    /** The URL the client meant (the proxy's x-fal-target-url when proxied). */
    readonly targetUrl: string,
  ) {
    super(`FAL answered HTTP ${status}`);
  }
}

/** The request never got an HTTP answer: refused, DNS, reset, timed out... */
export class FalTransportError extends Error {
  override readonly name = 'FalTransportError';
  constructor(
    /**
     * Node/undici error code when known (ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT...). Not
     * named `code`: the client retries any error whose `code` is a network code.
     */
    readonly netCode: string | null,
    message: string,
    readonly targetUrl: string,
    /** The original error, kept off `cause` on purpose (see the file comment). */
    readonly original?: unknown,
  ) {
    super(message);
  }
}

/** FAL answered a cancel with ALREADY_COMPLETED: the result exists and is kept. */
export class FalAlreadyCompletedError extends Error {
  override readonly name = 'FalAlreadyCompletedError';
  constructor() {
    super('The job had already finished on FAL');
  }
}

/** The result GET answered a status (IN_QUEUE / IN_PROGRESS) instead of the output: not ready yet. */
export class FalResultNotReadyError extends Error {
  override readonly name = 'FalResultNotReadyError';
  constructor(readonly status: string) {
    super(`FAL answered the result with the job's status (${status}) instead of its output`);
  }
}
