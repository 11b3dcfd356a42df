// How a download failed, and whether trying again can help.

export type DownloadErrorCode = 'too_large' | 'timeout' | 'http_error' | 'network' | 'aborted' | 'refused' | 'too_many_redirects';

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  /** Whether the same download may work later (network trouble, timeouts, 5xx, a CDN that lags). */
  readonly retryable: boolean;
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    /** HTTP status, set for 'http_error'. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.retryable = isRetryable(code, status);
  }
}

function isRetryable(code: DownloadErrorCode, status: number | undefined): boolean {
  if (code === 'timeout' || code === 'network') return true;
  if (code !== 'http_error' || status === undefined) return false;
  // 400/401/403/410 are how CDNs refuse an expired or badly signed link: a fresh link may work.
  return status >= 500 || [400, 401, 403, 404, 408, 410, 425, 429].includes(status);
}
